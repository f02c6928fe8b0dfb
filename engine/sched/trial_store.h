#pragma once
// What the runner needs from the results database for one sweep, and nothing more: claim a trial,
// its stored folds, record a fold, finish or release it. Ownership (who claimed what, whether the
// claimer still lives) is the store's business, so a database with leases can stand behind the
// runner without changing it. SqliteTrialStore adapts the SQLite Store.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/sched/lease_heartbeat.h"
#include "results/store.h"

namespace eegsweep {

// A write refused because another process claimed the trial after this process's lease ran out:
// nothing was written, and the other process's results stand. The runner drops the trial.
class LeaseLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TrialStore {
 public:
  virtual ~TrialStore() = default;

  // Every trial of the sweep (the search's history, the progress totals).
  virtual std::vector<TrialRecord> trials() = 0;
  virtual void add_trials(const std::vector<TrialRecord>& trials) = 0;
  // A trial for this process to train (pending, or abandoned by its owner), now running under
  // this process; nullopt when none is left.
  virtual std::optional<TrialRecord> claim_trial() = 0;
  virtual std::vector<int> completed_folds(std::int64_t trial_id) = 0;
  virtual std::vector<FoldRecord> folds(std::int64_t trial_id) = 0;
  virtual void record_fold(std::int64_t trial_id, const FoldRecord& fold) = 0;
  virtual void finish_trial(std::int64_t trial_id, TrialStatus status, const std::string& error,
                            std::optional<double> cv_mean, std::optional<double> cv_std) = 0;
  // Back to pending, its stored folds kept (interrupted before it finished).
  virtual void release_trial(std::int64_t trial_id) = 0;
  virtual std::optional<TrialRecord> best_trial() = 0;
};

// One sweep of the SQLite Store (a file). This process's trials are claimed under
// this_process_owner() with a lease (Store::claim_trial with a LeasePolicy) that a
// LeaseHeartbeat renews while they train; a trial whose lease ran out is reclaimed by any
// process on any host, and one whose owner is a dead process on this host at once. record_fold,
// finish_trial and release_trial throw LeaseLost when the trial was claimed again since.
class SqliteTrialStore final : public TrialStore {
 public:
  SqliteTrialStore(Store& store, std::int64_t sweep_id, const LeasePolicy& lease = {});

  std::vector<TrialRecord> trials() override;
  void add_trials(const std::vector<TrialRecord>& trials) override;
  std::optional<TrialRecord> claim_trial() override;
  std::vector<int> completed_folds(std::int64_t trial_id) override;
  std::vector<FoldRecord> folds(std::int64_t trial_id) override;
  void record_fold(std::int64_t trial_id, const FoldRecord& fold) override;
  void finish_trial(std::int64_t trial_id, TrialStatus status, const std::string& error,
                    std::optional<double> cv_mean, std::optional<double> cv_std) override;
  void release_trial(std::int64_t trial_id) override;
  std::optional<TrialRecord> best_trial() override;

 private:
  struct Held {
    TrialLease lease;
    int number = 0;
  };
  const Held& held(std::int64_t trial_id) const;
  [[noreturn]] void lost(const Held& held, const std::string& what);

  Store& store_;
  std::int64_t sweep_id_;
  std::string owner_;
  LeasePolicy policy_;
  std::map<std::int64_t, Held> held_;  // this process's claims, by trial id
  LeaseHeartbeat heartbeat_;
};

}  // namespace eegsweep
