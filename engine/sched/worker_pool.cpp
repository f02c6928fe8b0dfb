#include "engine/sched/worker_pool.h"

#include <algorithm>

namespace eegsweep {

WorkerPool::WorkerPool(int max_threads, ThreadStarter start_thread)
    : max_threads_(std::max(1, max_threads)), start_thread_(std::move(start_thread)) {
  if (!start_thread_) {
    start_thread_ = [](std::function<void()> body) { return std::thread(std::move(body)); };
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  jobs_ready_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerPool::submit(Job job) {
  bool needs_thread = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(job));
    needs_thread = static_cast<int>(jobs_.size()) > idle_ && threads() < max_threads_;
    // Counted idle from now, so that the next submit does not start another thread for a job
    // this one will take.
    if (needs_thread) ++idle_;
  }
  if (needs_thread) {
    try {
      threads_.reserve(threads_.size() + 1);  // so that a started thread is never dropped joinable
      threads_.push_back(start_thread_([this] { work(); }));
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      --idle_;
      const std::string why = "cannot start worker thread " + std::to_string(threads() + 1) + ": " + e.what();
      if (threads_.empty()) {
        jobs_.pop_back();  // no worker exists that could have taken it
        throw WorkerStartError(why);
      }
      max_threads_ = threads();
      start_failure_ = why;
    }
  }
  jobs_ready_.notify_one();
}

UnitResult WorkerPool::next_result() {
  std::unique_lock<std::mutex> lock(mutex_);
  results_ready_.wait(lock, [this] { return !results_.empty(); });
  UnitResult r = std::move(results_.front());
  results_.pop_front();
  return r;
}

std::optional<std::string> WorkerPool::take_start_failure() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<std::string> why;
  std::swap(why, start_failure_);
  return why;
}

void WorkerPool::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      jobs_ready_.wait(lock, [this] { return closing_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      --idle_;
    }
    UnitResult result = job();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      results_.push_back(std::move(result));
      ++idle_;  // before the result is seen, so that the next job reuses this worker
    }
    results_ready_.notify_one();
  }
}

}  // namespace eegsweep
