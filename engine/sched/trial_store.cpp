#include "engine/sched/trial_store.h"

#include "engine/sched/process_owner.h"

namespace eegsweep {

SqliteTrialStore::SqliteTrialStore(Store& store, std::int64_t sweep_id)
    : store_(store), sweep_id_(sweep_id), owner_(this_process_owner()) {}

std::vector<TrialRecord> SqliteTrialStore::trials() { return store_.trials(sweep_id_); }

void SqliteTrialStore::add_trials(const std::vector<TrialRecord>& trials) {
  store_.add_trials(sweep_id_, trials);
}

std::optional<TrialRecord> SqliteTrialStore::claim_trial() {
  return store_.claim_trial(sweep_id_, owner_, owner_is_alive);
}

std::vector<int> SqliteTrialStore::completed_folds(std::int64_t trial_id) {
  return store_.completed_folds(trial_id);
}

std::vector<FoldRecord> SqliteTrialStore::folds(std::int64_t trial_id) { return store_.folds(trial_id); }

void SqliteTrialStore::record_fold(std::int64_t trial_id, const FoldRecord& fold) {
  store_.record_fold(trial_id, fold);
}

void SqliteTrialStore::finish_trial(std::int64_t trial_id, TrialStatus status,
                                    const std::string& error, std::optional<double> cv_mean,
                                    std::optional<double> cv_std) {
  store_.finish_trial(trial_id, status, error, cv_mean, cv_std);
}

void SqliteTrialStore::release_trial(std::int64_t trial_id) { store_.release_trial(trial_id); }

std::optional<TrialRecord> SqliteTrialStore::best_trial() { return store_.best_trial(sweep_id_); }

}  // namespace eegsweep
