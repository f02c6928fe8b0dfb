#include "engine/sched/lease_heartbeat.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace eegsweep {

LeaseHeartbeat::LeaseHeartbeat(const std::string& db_path, double lease_seconds)
    : store_(db_path), lease_seconds_(lease_seconds), thread_([this] { beat_until_stopped(); }) {}

LeaseHeartbeat::~LeaseHeartbeat() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void LeaseHeartbeat::hold(const TrialLease& lease) {
  std::lock_guard<std::mutex> lock(mutex_);
  held_[lease.trial_id] = lease;
}

void LeaseHeartbeat::drop(std::int64_t trial_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  held_.erase(trial_id);
}

void LeaseHeartbeat::beat_until_stopped() {
  const auto interval = std::chrono::duration<double>(std::max(0.01, lease_seconds_ / 3));
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, interval, [this] { return stop_; })) {
    lock.unlock();
    renew_held();
    lock.lock();
  }
}

void LeaseHeartbeat::renew_held() {
  std::vector<TrialLease> leases;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, lease] : held_) leases.push_back(lease);
  }
  for (const TrialLease& lease : leases) {
    try {
      // A lease taken over is not renewed again; the runner learns it when its write is refused.
      if (!store_.renew_lease(lease, lease_seconds_)) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = held_.find(lease.trial_id);
        if (it != held_.end() && it->second.attempt == lease.attempt) held_.erase(it);
      }
    } catch (const StoreError&) {
      // The file was busy or unreadable for a moment: the next beat tries again, and until the
      // lease ends nothing is lost.
    }
  }
}

}  // namespace eegsweep
