#pragma once
// The threads that train units. Workers only train; every result comes back to the one thread
// that submits jobs and collects results (the runner), which alone writes to the store.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/sched/train_unit.h"

namespace eegsweep {

// No worker thread could be started, so a submitted job cannot run.
class WorkerStartError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class WorkerPool {
 public:
  using Job = std::function<UnitResult()>;
  // Starts a thread running `body`; tests pass one that fails.
  using ThreadStarter = std::function<std::thread(std::function<void()> body)>;

  // No thread is started here: submit() starts one when every running worker is busy, up to
  // max_threads, so a pool never holds more threads than jobs that were queued or running at
  // once (-j 100000 on a sweep of 48 units starts at most 48).
  explicit WorkerPool(int max_threads, ThreadStarter start_thread = {});
  // Lets every queued and running job finish, then joins the workers.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues the job. When a thread is needed and cannot be started, the pool keeps the workers it
  // has (the job waits for one of them, and take_start_failure() says why); with no worker at all
  // it throws WorkerStartError and the job is not queued.
  void submit(Job job);
  // Blocks until a job has finished; results come back in the order they finish.
  UnitResult next_result();

  int threads() const { return static_cast<int>(threads_.size()); }
  // Why the pool stopped growing below max_threads, once (then nullopt again).
  std::optional<std::string> take_start_failure();

 private:
  void work();

  int max_threads_;
  ThreadStarter start_thread_;
  std::mutex mutex_;
  std::condition_variable jobs_ready_, results_ready_;
  std::deque<Job> jobs_;
  std::deque<UnitResult> results_;
  int idle_ = 0;  // workers not running a job (waiting for one, or about to)
  bool closing_ = false;
  std::vector<std::thread> threads_;  // touched by the submitting thread only
  std::optional<std::string> start_failure_;
};

}  // namespace eegsweep
