#include "engine/sched/cluster_worker.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <list>
#include <thread>

#include "engine/sched/backend_choice.h"
#include "engine/sched/cluster_evaluation_records.h"
#include "engine/sched/final_run.h"
#include "engine/sched/process_owner.h"
#include "engine/sched/progress.h"
#include "engine/sched/runner.h"
#include "engine/sched/scheduler.h"
#include "engine/sched/stop_signal.h"
#include "engine/sched/sweep_checks.h"
#include "engine/sched/sweep_plan.h"
#include "engine/sched/train_unit.h"
#include "engine/sched/trial_source.h"
#include "engine/sched/worker_pruning.h"
#include "engine/sched/worker_search.h"

namespace eegsweep {

namespace {

using Clock = std::chrono::steady_clock;

struct Flight {
  UnitClaim claim;
  std::future<UnitResult> result;
  bool lease_lost = false;
};

class Worker {
 public:
  Worker(const SweepSpec& spec, const WorkerOptions& options, const SweepPlan& plan,
         Backend& backend, PgStore& store, TrialSource& search, const WorkerPruning& pruning,
         std::int64_t sweep_id, Progress& progress)
      : spec_(spec), options_(options), plan_(plan), backend_(backend), store_(store),
        search_(search), pruning_(pruning), sweep_id_(sweep_id), progress_(progress),
        owner_(this_process_owner()) {}

  void run(WorkerSummary& summary) {
    try {
      loop(summary);
    } catch (...) {
      request_stop();  // in-flight units end at their next epoch boundary
      for (auto& f : flights_) {
        f.result.wait();
        try {
          store_.release_unit(f.claim, owner_);
        } catch (...) {
        }
      }
      throw;
    }
  }

 private:
  void loop(WorkerSummary& summary) {
    const double heartbeat = std::max(0.05, options_.lease.lease_seconds / 3);
    auto last_beat = Clock::now();
    for (;;) {
      while (!stop_requested() && static_cast<int>(flights_.size()) < options_.concurrency) {
        if (!claim_next()) break;
      }
      if (flights_.empty()) {
        if (stop_requested()) break;
        // Nothing claimable: done, or other workers hold the rest (wait, in case they die).
        if (store_.unit_counts(sweep_id_).unfinished() == 0) break;
        sleep_while_running(std::min(2.0, std::max(0.05, options_.lease.lease_seconds / 4)));
        continue;
      }
      collect_finished(summary);
      if (std::chrono::duration<double>(Clock::now() - last_beat).count() >= heartbeat) {
        for (auto& f : flights_) {
          if (!f.lease_lost && !store_.renew_lease(f.claim, owner_, options_.lease.lease_seconds)) {
            f.lease_lost = true;
            progress_.log(fmt::format("trial {} fold {}: lease taken over by another worker; its "
                                      "result will not be written", f.claim.trial.number, f.claim.fold));
          }
        }
        last_beat = Clock::now();
      }
    }
  }

  void sleep_while_running(double seconds) {
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    while (!stop_requested() && Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // Claims one unit and starts it; false when none is claimable (after asking the search).
  bool claim_next() {
    std::optional<UnitClaim> claim = store_.claim_unit(sweep_id_, owner_, options_.lease, pruning_.claim_order());
    if (!claim && generate_trials() > 0) {
      claim = store_.claim_unit(sweep_id_, owner_, options_.lease, pruning_.claim_order());
    }
    if (!claim) return false;
    TrialSetup setup;
    try {
      setup = trial_setup(spec_, trial_params_from_json(claim->trial.params_json), *plan_.data,
                          claim->trial.seed);
    } catch (const std::exception& e) {
      store_.fail_unit(*claim, owner_, e.what());
      progress_.log(fmt::format("trial {} failed: {}", claim->trial.number, e.what()));
      return true;
    }
    const Unit unit{claim->trial.id, claim->trial.number, claim->fold};
    Flight flight;
    flight.claim = *claim;
    const PruneCheck check = pruning_.during_training(*claim, setup.train.epochs);
    flight.result = std::async(std::launch::async, [this, unit, setup, check] {
      return train_unit(spec_, plan_, backend_, unit, setup, check);
    });
    flights_.push_back(std::move(flight));
    return true;
  }

  int generate_trials() {
    return store_.generate_trials(sweep_id_, static_cast<int>(plan_.folds.size()),
                                  [&](const std::vector<TrialRecord>& stored) {
                                    return search_.suggest(stored);
                                  });
  }

  void collect_finished(WorkerSummary& summary) {
    for (auto it = flights_.begin(); it != flights_.end();) {
      if (it->result.wait_for(std::chrono::milliseconds(it == flights_.begin() ? 50 : 0)) !=
          std::future_status::ready) {
        ++it;
        continue;
      }
      const UnitResult result = it->result.get();
      record(*it, result, summary);
      it = flights_.erase(it);
    }
  }

  void record(const Flight& flight, const UnitResult& result, WorkerSummary& summary) {
    const UnitClaim& claim = flight.claim;
    switch (result.outcome) {
      case UnitResult::Outcome::completed:
      case UnitResult::Outcome::pruned: {  // hyperband stopped it while training
        const PgStore::CvStatistics cv = [&](const std::vector<FoldRecord>& folds) {
          return cv_statistics(folds, spec_.metric.name);
        };
        const std::optional<std::string> pruned =
            result.outcome == UnitResult::Outcome::pruned ? result.error : pruning_.after_fold(result.record);
        const bool stored = pruned ? store_.prune_unit(claim, owner_, result.record, *pruned, cv)
                                   : store_.record_unit(claim, owner_, result.record, cv);
        if (!stored) {
          ++summary.units_refused;
          progress_.log(fmt::format("trial {} fold {}: not recorded, the unit was claimed again "
                                    "after this worker's lease ran out", claim.trial.number, claim.fold));
          return;
        }
        ++summary.units_recorded;
        progress_.fold_finished(claim.trial.number, claim.fold,
                                metric_value(result.record.val, spec_.metric.name),
                                result.record.seconds);
        if (pruned) {
          ++summary.trials_pruned;
          progress_.log(fmt::format("trial {}: {}", claim.trial.number, *pruned));
        }
        if (summary.units_recorded == options_.stop_after_units) request_stop();
        return;
      }
      case UnitResult::Outcome::failed:
        ++summary.units_failed;
        store_.fail_unit(claim, owner_, result.error);
        progress_.log(fmt::format("trial {} failed: {}", claim.trial.number, result.error));
        return;
      case UnitResult::Outcome::interrupted:
        store_.release_unit(claim, owner_);
        return;
    }
  }

  const SweepSpec& spec_;
  const WorkerOptions& options_;
  const SweepPlan& plan_;
  Backend& backend_;
  PgStore& store_;
  TrialSource& search_;
  const WorkerPruning& pruning_;
  std::int64_t sweep_id_;
  Progress& progress_;
  std::string owner_;
  std::list<Flight> flights_;
};

// Once every unit is done: the best trial retrained and scored on the test rows, by the one
// worker that gets the lock; the others (and later workers) find it recorded.
void final_run(const SweepSpec& spec, const SweepPlan& plan, Backend& backend, PgStore& store,
               std::int64_t sweep_id, Progress& progress, WorkerSummary& summary) {
  if (plan.holdout.test.empty() || !store.try_lock_final_run(sweep_id)) return;
  try {
    store.complete_done_trials(sweep_id, [&](const std::vector<FoldRecord>& folds) {
      return cv_statistics(folds, spec.metric.name);
    });
    const std::optional<TrialRecord> best = store.best_trial(sweep_id);
    if (best && !store.final_run(best->id)) {
      progress.log(fmt::format("final run: trial {} retrained on all {} non-test rows",
                               best->number, plan.holdout.train.size()));
      FinalRunRecord run = run_final(spec, plan, backend, *best, store.folds(best->id), "final",
                                     [] { return stop_requested(); });
      store.record_final_run(run);
      summary.final_run_recorded = true;
    }
  } catch (const Interrupted&) {
    summary.interrupted = true;
  } catch (const StoreError&) {
    store.unlock_final_run(sweep_id);
    throw;
  } catch (const std::exception& e) {
    summary.final_run_error = e.what();
    progress.log("final run failed: " + summary.final_run_error);
  }
  store.unlock_final_run(sweep_id);
}

}  // namespace

WorkerSummary run_worker(const SweepSpec& spec, const WorkerOptions& options) {
  WorkerSummary summary;
  BackendChoice choice = choose_backend(spec.device);
  Backend& backend = *choice.backend;
  summary.device = backend.name();

  std::shared_ptr<const Dataset> data = load_dataset(spec);
  const SweepPlan plan = plan_sweep(spec, data);
  check_timesteps_fit(spec, expand_trials(spec), *data);
  backend.set_dataset(data);
  // bayes/tpe: one suggestion at a time, no rounds (worker_search.h says what that guarantees).
  std::unique_ptr<TrialSource> search = make_worker_trial_source(spec);

  PgStore store(options.db_url);
  summary.sweep_id = store.open_sweep(sweep_info(spec, *data, backend.name()), false);
  const int folds = static_cast<int>(plan.folds.size());
  store.generate_trials(summary.sweep_id, folds,
                        [&](const std::vector<TrialRecord>& stored) { return search->suggest(stored); });

  const UnitCounts before = store.unit_counts(summary.sweep_id);
  // A bayes sweep stores its trials one at a time: its totals are run_cap's.
  const int trials_total = std::max(static_cast<int>(store.trials(summary.sweep_id).size()), search->expected_trials());
  Progress progress(trials_total,
                    std::max(before.pending + before.running + before.done + before.failed, trials_total * folds),
                    options.interactive);
  progress.log(choice.reason);
  progress.log(fmt::format("worker {} on sweep '{}' → {}: {} units pending, {} running elsewhere, "
                           "{} done", this_process_owner(), spec.name, store.name(),
                           before.pending, before.running, before.done));
  progress.set_done(0, before.done);
  record_cluster_evaluation(spec, plan, store, summary.sweep_id, progress);

  const WorkerPruning pruning(spec, store, summary.sweep_id);  // early_terminate: worker_pruning.h
  Worker worker(spec, options, plan, backend, store, *search, pruning, summary.sweep_id, progress);
  worker.run(summary);
  summary.interrupted = stop_requested();
  progress.finish();
  summary.left = store.unit_counts(summary.sweep_id);
  if (!summary.interrupted && options.final_run && summary.left.unfinished() == 0) {
    final_run(spec, plan, backend, store, summary.sweep_id, progress, summary);
  }
  return summary;
}

}  // namespace eegsweep
