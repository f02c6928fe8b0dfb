#pragma once
// What the runner needs from the results database for one sweep, and nothing more: claim a trial,
// its stored folds, record a fold, finish or release it. Ownership (who claimed what, whether the
// claimer still lives) is the store's business, so a database with leases can stand behind the
// runner without changing it. SqliteTrialStore adapts the SQLite Store.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "results/store.h"

namespace eegsweep {

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

// One sweep of the SQLite Store; this process's trials are claimed under this_process_owner(),
// and trials of owners that no longer run (owner_is_alive) are reclaimed.
class SqliteTrialStore final : public TrialStore {
 public:
  SqliteTrialStore(Store& store, std::int64_t sweep_id);

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
  Store& store_;
  std::int64_t sweep_id_;
  std::string owner_;
};

}  // namespace eegsweep
