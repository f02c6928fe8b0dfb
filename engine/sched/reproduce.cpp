#include "engine/sched/reproduce.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/sched/backend_choice.h"
#include "engine/sched/final_run.h"
#include "engine/sched/stop_signal.h"
#include "engine/sched/sweep_plan.h"
#include "engine/sched/train_unit.h"

namespace eegsweep {

namespace {

bool same_result(const FinalRunRecord& a, const FinalRunRecord& b) {
  return a.epochs == b.epochs && a.test.loss == b.test.loss && a.test.accuracy == b.test.accuracy &&
         a.confusion.counts == b.confusion.counts && a.weights_hash == b.weights_hash;
}

bool on_cpu(const std::string& device) { return device.rfind("cpu", 0) == 0; }

Reproduction::Verdict compare(const FinalRunRecord& recorded, const FinalRunRecord& reproduced,
                              double difference) {
  using Verdict = Reproduction::Verdict;
  if (same_result(recorded, reproduced)) return Verdict::identical;
  if (on_cpu(recorded.device) && on_cpu(reproduced.device)) return Verdict::different;
  return difference <= kCrossDeviceTolerance ? Verdict::close : Verdict::different;
}

struct StoredSweep {
  SweepSpec spec;
  std::shared_ptr<const Dataset> data;
  SweepPlan plan;
};

StoredSweep stored_sweep(const SweepInfo& sweep, const std::string& device) {
  const auto overrides = nlohmann::json::parse(sweep.overrides_json).get<std::vector<std::string>>();
  StoredSweep stored;
  stored.spec = parse_sweep(sweep.spec_text, sweep.spec_path, overrides);
  if (!device.empty()) stored.spec.device = device;
  auto data = load_dataset(stored.spec);
  if (dataset_hash(*data) != sweep.dataset_hash) {
    throw DataError(fmt::format("{}: the data changed since the sweep ran (hash {} then, {} now)",
                                data->source, sweep.dataset_hash, dataset_hash(*data)));
  }
  stored.data = data;
  stored.plan = plan_sweep(stored.spec, data);
  return stored;
}

void require_completed(Store& store, const TrialRecord& trial) {
  if (trial.status != TrialStatus::completed) {
    throw std::invalid_argument(fmt::format("{}: trial {} is {}, not completed", store.path(),
                                            trial.number, status_name(trial.status)));
  }
}

}  // namespace

bool sweep_has_test_rows(const SweepInfo& sweep) {
  return !stored_sweep(sweep, "cpu").plan.holdout.test.empty();
}

FoldsReproduction reproduce_folds(Store& store, const SweepInfo& sweep, const TrialRecord& trial,
                                  const std::string& device) {
  require_completed(store, trial);
  const StoredSweep stored = stored_sweep(sweep, device);
  BackendChoice choice = choose_backend(stored.spec.device);
  choice.backend->set_dataset(stored.data);
  FoldsReproduction result;
  result.backend_reason = choice.reason;
  result.cross_device = !on_cpu(sweep.device) || !on_cpu(choice.backend->name());
  result.matches = true;
  for (const FoldRecord& recorded : store.folds(trial.id)) {
    const TrialSetup setup = trial_setup(stored.spec, trial_params_from_json(trial.params_json),
                                         *stored.data, trial.seed);
    Unit unit;
    unit.trial_id = trial.id;
    unit.trial_number = trial.number;
    unit.fold = recorded.fold;
    const UnitResult unit_result = train_unit(stored.spec, stored.plan, *choice.backend, unit, setup);
    if (unit_result.outcome == UnitResult::Outcome::interrupted) throw Interrupted();
    if (unit_result.outcome == UnitResult::Outcome::failed) throw TrainingError(unit_result.error);
    FoldReproduction fold;
    fold.recorded = recorded;
    fold.reproduced = unit_result.record;
    fold.identical = recorded.best_epoch == fold.reproduced.best_epoch &&
                     recorded.val.loss == fold.reproduced.val.loss &&
                     recorded.confusion.counts == fold.reproduced.confusion.counts;
    const double difference = std::abs(recorded.val.accuracy - fold.reproduced.val.accuracy);
    result.largest_difference = std::max(result.largest_difference, difference);
    if (!fold.identical && (!result.cross_device || difference > kCrossDeviceTolerance)) {
      result.matches = false;
    }
    result.folds.push_back(std::move(fold));
  }
  return result;
}

Reproduction reproduce_trial(Store& store, const SweepInfo& sweep, const TrialRecord& trial,
                             const std::string& device) {
  require_completed(store, trial);
  const StoredSweep stored = stored_sweep(sweep, device);
  const SweepSpec& spec = stored.spec;
  const SweepPlan& plan = stored.plan;
  const auto& data = stored.data;
  BackendChoice choice = choose_backend(spec.device);
  choice.backend->set_dataset(data);

  Reproduction result;
  result.backend_reason = choice.reason;
  result.reproduced = run_final(spec, plan, *choice.backend, trial, store.folds(trial.id),
                                "reproduce", [] { return stop_requested(); });
  result.recorded = store.final_run(trial.id);
  if (!result.recorded) result.reproduced.kind = "final";  // the first score becomes the record
  result.reproduced.id = store.record_final_run(result.reproduced);
  if (!result.recorded) {
    result.verdict = Reproduction::Verdict::first_record;
    return result;
  }
  result.accuracy_difference = std::abs(result.reproduced.test.accuracy - result.recorded->test.accuracy);
  result.verdict = compare(*result.recorded, result.reproduced, result.accuracy_difference);
  return result;
}

}  // namespace eegsweep
