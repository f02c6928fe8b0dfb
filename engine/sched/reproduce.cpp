#include "engine/sched/reproduce.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

#include "engine/sched/backend_choice.h"
#include "engine/sched/final_run.h"
#include "engine/sched/stop_signal.h"
#include "engine/sched/sweep_plan.h"

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

}  // namespace

Reproduction reproduce_trial(Store& store, const SweepInfo& sweep, const TrialRecord& trial,
                             const std::string& device) {
  if (trial.status != TrialStatus::completed) {
    throw std::invalid_argument(fmt::format("{}: trial {} is {}, not completed", store.path(),
                                            trial.number, status_name(trial.status)));
  }
  const auto overrides = nlohmann::json::parse(sweep.overrides_json).get<std::vector<std::string>>();
  SweepSpec spec = parse_sweep(sweep.spec_text, sweep.spec_path, overrides);
  if (!device.empty()) spec.device = device;
  auto data = load_dataset(spec);
  if (dataset_hash(*data) != sweep.dataset_hash) {
    throw DataError(fmt::format("{}: the data changed since the sweep ran (hash {} then, {} now)",
                                data->source, sweep.dataset_hash, dataset_hash(*data)));
  }
  const SweepPlan plan = plan_sweep(spec, data);
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
