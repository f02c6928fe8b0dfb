#pragma once
// Runs the units of a sweep: claims trials from the store (asking the search for more when the
// store has none), hands the plan's next unit to a worker whenever a slot is free, and records
// each result. The calling thread is the only one that touches the store; workers only train.
// Like ninja's Builder beside its Plan: the UnitPlan decides what is next, the Runner acts.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/backend.h"
#include "engine/sched/early_stop.h"
#include "engine/sched/progress.h"
#include "engine/sched/sweep_plan.h"
#include "engine/sched/train_unit.h"
#include "engine/sched/trial_source.h"
#include "engine/sched/trial_store.h"
#include "engine/sched/unit_plan.h"
#include "engine/sched/worker_pool.h"

namespace eegsweep {

// A trial's cv_mean and cv_std: mean and population standard deviation of the sweep metric over
// its folds, in fold order (cluster workers use it too, so both store the same numbers).
std::pair<double, double> cv_statistics(const std::vector<FoldRecord>& folds, const std::string& metric);

struct RunnerOptions {
  int concurrency = 1;       // units in flight at once (worker threads start only as needed)
  int stop_after_units = 0;  // > 0: request_stop() once this many units are stored
  UnitPlan::Order order = UnitPlan::Order::trial_major;
};

class Runner {
 public:
  Runner(const SweepSpec& spec, const SweepPlan& plan, Backend& backend, TrialStore& store,
         TrialSource& search, Progress& progress, const RunnerOptions& options);

  // Trains until no unit is left or a stop is requested (stop_signal.h: in-flight units end at
  // their next epoch boundary and are dropped). Trials claimed and not finished go back to
  // pending, also when it throws. Returns the number of units trained and stored.
  int run();

 private:
  void train_until_done();
  void claim_trial();
  void dispatch(WorkerPool& pool, const Unit& unit);
  void record(const UnitResult& result);
  bool store_fold(const Unit& unit, const FoldRecord& fold);
  void finish(std::int64_t trial_id, int trial_number, TrialStatus status, const std::string& error);
  void release_unfinished();
  void prune(const Unit& unit, const std::string& why);
  std::optional<std::string> judge_folds_in_order(std::int64_t trial_id, const FoldRecord& fold);

  const SweepSpec& spec_;
  const SweepPlan& plan_;
  Backend& backend_;
  TrialStore& store_;
  TrialSource& search_;
  Progress& progress_;
  RunnerOptions options_;
  UnitPlan units_;
  std::map<std::int64_t, TrialSetup> setups_;  // of the trials the plan holds
  EarlyStopRules early_stop_;
  std::map<std::int64_t, PruneReference> references_;  // of the trials the plan holds, when early_stop_
  struct FoldsToJudge {
    std::map<int, FoldRecord> stored;  // by fold
    int next = 0;                      // the first fold not judged yet
  };
  std::map<std::int64_t, FoldsToJudge> folds_to_judge_;
  int units_trained_ = 0;
};

}  // namespace eegsweep
