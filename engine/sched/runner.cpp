#include "engine/sched/runner.h"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <tuple>

#include "engine/sched/final_run.h"
#include "engine/sched/stop_signal.h"

namespace eegsweep {

std::pair<double, double> cv_statistics(const std::vector<FoldRecord>& folds, const std::string& metric) {
  double sum = 0;
  for (const auto& f : folds) sum += metric_value(f.val, metric);
  const double mean = sum / static_cast<double>(folds.size());
  double squares = 0;
  for (const auto& f : folds) squares += std::pow(metric_value(f.val, metric) - mean, 2);
  return {mean, std::sqrt(squares / static_cast<double>(folds.size()))};
}

Runner::Runner(const SweepSpec& spec, const SweepPlan& plan, Backend& backend, TrialStore& store,
               TrialSource& search, Progress& progress, const RunnerOptions& options)
    : spec_(spec),
      plan_(plan),
      backend_(backend),
      store_(store),
      search_(search),
      progress_(progress),
      options_(options),
      // Early termination judges fold 1 of every trial first (fold-major order).
      units_(spec.early_terminate.type.empty() ? options.order : UnitPlan::Order::fold_major),
      early_stop_(spec) {}

int Runner::run() {
  try {
    train_until_done();
  } catch (...) {
    // The error is what the caller needs to see; a failure to release as well changes nothing
    // for it (a trial left running by a process that has ended is reclaimed by the next run).
    try {
      release_unfinished();
    } catch (...) {
    }
    throw;
  }
  release_unfinished();
  return units_trained_;
}

void Runner::train_until_done() {
  WorkerPool pool(options_.concurrency);
  for (;;) {
    while (!stop_requested() && units_.in_flight() < options_.concurrency) {
      const UnitPlan::Step step = units_.next_step();
      if (step == UnitPlan::Step::claim_trial) {
        claim_trial();
      } else if (step == UnitPlan::Step::run_unit) {
        dispatch(pool, units_.take_unit());
      } else {
        break;
      }
    }
    if (units_.in_flight() == 0) break;
    record(pool.next_result());
  }
}

void Runner::claim_trial() {
  std::optional<TrialRecord> claimed = store_.claim_trial();
  if (!claimed) {
    std::vector<TrialRecord> suggested = search_.suggest(store_.trials());
    if (!suggested.empty()) {
      store_.add_trials(suggested);
      claimed = store_.claim_trial();
    }
  }
  if (!claimed) {
    // An adaptive search forms its next round once this process's trials finish.
    if (search_.may_suggest_later() && !units_.active_trials().empty()) {
      units_.no_trials_until_one_finishes();
    } else {
      units_.no_more_trials();
    }
    return;
  }
  std::set<int> folds;
  for (int f = 0; f < static_cast<int>(plan_.folds.size()); ++f) folds.insert(f);
  for (int f : store_.completed_folds(claimed->id)) folds.erase(f);
  TrialSetup setup;
  try {
    setup = trial_setup(spec_, trial_params_from_json(claimed->params_json), *plan_.data, claimed->seed);
  } catch (const std::exception& e) {
    finish(claimed->id, claimed->number, TrialStatus::failed, e.what());
    return;
  }
  if (folds.empty()) {
    finish(claimed->id, claimed->number, TrialStatus::completed, "");
    return;
  }
  setups_.emplace(claimed->id, std::move(setup));
  if (early_stop_.enabled()) {
    references_[claimed->id] = early_stop_.reference(store_);
    // Folds stored by an earlier run are judged first, in fold order, like new ones.
    FoldsToJudge& judged = folds_to_judge_[claimed->id];
    for (const FoldRecord& f : store_.folds(claimed->id)) judged.stored.emplace(f.fold, f);
  }
  units_.add_trial(claimed->id, claimed->number, std::vector<int>(folds.begin(), folds.end()));
}

void Runner::dispatch(WorkerPool& pool, const Unit& unit) {
  const TrialSetup& setup = setups_.at(unit.trial_id);
  PruneCheck check;
  if (unit.fold == 0 && references_.count(unit.trial_id))
    check = early_stop_.first_fold_check(references_.at(unit.trial_id), setup.train.epochs);
  pool.submit([this, unit, setup, check] { return train_unit(spec_, plan_, backend_, unit, setup, check); });
  if (auto why = pool.take_start_failure()) {
    progress_.log(fmt::format("{}; training on the {} worker thread(s) already running", *why,
                              pool.threads()));
  }
}

void Runner::record(const UnitResult& result) {
  const Unit& unit = result.unit;
  if (!units_.unit_returned(unit)) return;  // the trial already failed on another fold
  switch (result.outcome) {
    case UnitResult::Outcome::completed:
      if (!store_fold(unit, result.record)) break;
      ++units_trained_;
      if (units_trained_ == options_.stop_after_units) request_stop();
      progress_.fold_finished(unit.trial_number, unit.fold,
                              metric_value(result.record.val, spec_.metric.name),
                              result.record.seconds);
      if (references_.count(unit.trial_id)) {
        if (auto why = judge_folds_in_order(unit.trial_id, result.record)) {
          prune(unit, *why);
          break;
        }
      }
      if (units_.fold_stored(unit)) finish(unit.trial_id, unit.trial_number, TrialStatus::completed, "");
      break;
    case UnitResult::Outcome::pruned:
      // The epochs it trained, for the record.
      if (store_fold(unit, result.record)) prune(unit, result.error);
      break;
    case UnitResult::Outcome::failed:
      units_.cancel_trial(unit.trial_id);
      finish(unit.trial_id, unit.trial_number, TrialStatus::failed, result.error);
      break;
    case UnitResult::Outcome::interrupted:
      break;
  }
}

// False when the store refused the fold because another process has claimed the trial since this
// one's lease ran out (trial_store.h): nothing was written, and the trial is dropped here.
bool Runner::store_fold(const Unit& unit, const FoldRecord& fold) {
  try {
    store_.record_fold(unit.trial_id, fold);
    return true;
  } catch (const LeaseLost& e) {
    progress_.log(std::string("warning: ") + e.what());
    setups_.erase(unit.trial_id);
    references_.erase(unit.trial_id);
    folds_to_judge_.erase(unit.trial_id);
    units_.cancel_trial(unit.trial_id);
    units_.trial_finished();
    return false;
  }
}

// The forgiving rule takes a trial's folds in fold order, whatever order they come back in (two
// folds of one trial may train at once), so whether and after which fold a trial is pruned never
// depends on timing; the last fold is judged too, so that a trial whose folds all came back before
// an earlier one was judged gets the same verdict.
std::optional<std::string> Runner::judge_folds_in_order(std::int64_t trial_id, const FoldRecord& fold) {
  FoldsToJudge& folds = folds_to_judge_[trial_id];
  folds.stored.emplace(fold.fold, fold);
  for (auto it = folds.stored.find(folds.next); it != folds.stored.end(); it = folds.stored.find(folds.next)) {
    ++folds.next;
    if (auto why = early_stop_.after_fold(references_.at(trial_id), it->second)) return why;
  }
  return std::nullopt;
}

void Runner::prune(const Unit& unit, const std::string& why) {
  progress_.log(fmt::format("trial {}: {}", unit.trial_number, why));
  units_.cancel_trial(unit.trial_id);
  finish(unit.trial_id, unit.trial_number, TrialStatus::pruned, why);
}

void Runner::finish(std::int64_t trial_id, int trial_number, TrialStatus status,
                    const std::string& error) {
  setups_.erase(trial_id);
  references_.erase(trial_id);
  folds_to_judge_.erase(trial_id);
  units_.trial_finished();
  std::optional<double> mean, std;
  if (status == TrialStatus::completed) {
    std::tie(mean, std) = cv_statistics(store_.folds(trial_id), spec_.metric.name);
  }
  try {
    store_.finish_trial(trial_id, status, error, mean, std);
  } catch (const LeaseLost& e) {
    progress_.log(std::string("warning: ") + e.what());
    return;
  }
  progress_.trial_finished(trial_number, status_name(status), mean);
  if (status == TrialStatus::failed) progress_.log("  " + error);
  if (auto best = store_.best_trial(); best && best->cv_mean) {
    progress_.set_best(best->number, *best->cv_mean);
  }
}

// Interrupted: what is stored stays; the unfinished trials go back to pending for a resume.
void Runner::release_unfinished() {
  for (std::int64_t id : units_.active_trials()) {
    try {
      store_.release_trial(id);
    } catch (const LeaseLost& e) {
      progress_.log(std::string("warning: ") + e.what());
    }
    units_.cancel_trial(id);
  }
}

}  // namespace eegsweep
