#include "engine/sched/trial_store.h"

#include "engine/sched/process_owner.h"

namespace eegsweep {

SqliteTrialStore::SqliteTrialStore(Store& store, std::int64_t sweep_id, const LeasePolicy& lease)
    : store_(store),
      sweep_id_(sweep_id),
      owner_(this_process_owner()),
      policy_(lease),
      heartbeat_(store.path(), lease.lease_seconds) {}

std::vector<TrialRecord> SqliteTrialStore::trials() { return store_.trials(sweep_id_); }

void SqliteTrialStore::add_trials(const std::vector<TrialRecord>& trials) {
  store_.add_trials(sweep_id_, trials);
}

std::optional<TrialRecord> SqliteTrialStore::claim_trial() {
  // owner_is_alive only ever says "dead" of a process on this host: the fast path that reclaims a
  // killed run's trial at once. Trials of other hosts' processes wait for their lease to end.
  std::optional<TrialClaim> claim = store_.claim_trial(sweep_id_, owner_, policy_, owner_is_alive);
  if (!claim) return std::nullopt;
  held_[claim->trial.id] = Held{claim->lease, claim->trial.number};
  heartbeat_.hold(claim->lease);
  return claim->trial;
}

std::vector<int> SqliteTrialStore::completed_folds(std::int64_t trial_id) {
  return store_.completed_folds(trial_id);
}

std::vector<FoldRecord> SqliteTrialStore::folds(std::int64_t trial_id) { return store_.folds(trial_id); }

const SqliteTrialStore::Held& SqliteTrialStore::held(std::int64_t trial_id) const {
  const auto it = held_.find(trial_id);
  if (it == held_.end()) {
    throw std::logic_error("trial id " + std::to_string(trial_id) + " was not claimed by this process");
  }
  return it->second;
}

void SqliteTrialStore::lost(const Held& held, const std::string& what) {
  const std::string message =
      "trial " + std::to_string(held.number) + ": " + what +
      " not written: another process claimed the trial after this process's lease ran out "
      "(attempt " + std::to_string(held.lease.attempt) + " is no longer the latest); its results stand";
  const std::int64_t trial_id = held.lease.trial_id;  // `held` lives in held_
  heartbeat_.drop(trial_id);
  held_.erase(trial_id);
  throw LeaseLost(message);
}

void SqliteTrialStore::record_fold(std::int64_t trial_id, const FoldRecord& fold) {
  const Held& claim = held(trial_id);
  if (!store_.record_fold(claim.lease, fold)) lost(claim, "fold " + std::to_string(fold.fold));
}

void SqliteTrialStore::finish_trial(std::int64_t trial_id, TrialStatus status,
                                    const std::string& error, std::optional<double> cv_mean,
                                    std::optional<double> cv_std) {
  const Held claim = held(trial_id);
  if (!store_.finish_trial(claim.lease, status, error, cv_mean, cv_std)) {
    lost(claim, std::string("its end (") + status_name(status) + ")");
  }
  heartbeat_.drop(trial_id);
  held_.erase(trial_id);
}

void SqliteTrialStore::release_trial(std::int64_t trial_id) {
  const Held claim = held(trial_id);
  if (!store_.release_trial(claim.lease)) lost(claim, "its release");
  heartbeat_.drop(trial_id);
  held_.erase(trial_id);
}

std::optional<TrialRecord> SqliteTrialStore::best_trial() { return store_.best_trial(sweep_id_); }

}  // namespace eegsweep
