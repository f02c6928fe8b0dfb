#pragma once
// Keeps the leases of this process's claimed trials alive while their folds train: a thread of
// its own, on a connection of its own to the results file, renews every held lease every third
// of the lease, so that a trial longer than its lease is not taken by another process. The
// runner's thread stays the only writer of results; this one only moves lease ends forward.

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "results/store.h"

namespace eegsweep {

class LeaseHeartbeat {
 public:
  // Opens its own connection to db_path (a file: a second connection to ":memory:" would be
  // another database) and starts beating.
  LeaseHeartbeat(const std::string& db_path, double lease_seconds);
  ~LeaseHeartbeat();  // stops and joins the thread
  LeaseHeartbeat(const LeaseHeartbeat&) = delete;
  LeaseHeartbeat& operator=(const LeaseHeartbeat&) = delete;

  void hold(const TrialLease& lease);
  void drop(std::int64_t trial_id);

 private:
  void beat_until_stopped();
  void renew_held();

  Store store_;
  double lease_seconds_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::map<std::int64_t, TrialLease> held_;  // by trial id
  std::thread thread_;
};

}  // namespace eegsweep
