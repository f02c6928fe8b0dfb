#include "engine/sched/final_run.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "engine/model/fit.h"

namespace eegsweep {

int final_epochs(const std::vector<FoldRecord>& folds) {
  if (folds.empty()) throw std::runtime_error("the trial has no stored folds");
  std::vector<int> epochs;
  for (const auto& f : folds) epochs.push_back(f.best_epoch + 1);
  std::sort(epochs.begin(), epochs.end());
  return epochs[(epochs.size() - 1) / 2];
}

TrialParams trial_params_from_json(const std::string& params_json) {
  const auto json = nlohmann::json::parse(params_json);
  TrialParams p;
  for (const auto& [key, value] : json.items()) {
    if (key == "hidden_size") p.hidden_size = value.get<int>();
    else if (key == "num_layers") p.num_layers = value.get<int>();
    else if (key == "timesteps") p.timesteps = value.get<int>();
    else if (key == "head") p.head = value.get<std::string>();
    else if (key == "dropout") p.dropout = value.get<double>();
    else if (key == "learning_rate") p.learning_rate = value.get<double>();
    else if (key == "batch_size") p.batch_size = value.get<int>();
    else if (key == "epochs") p.epochs = value.get<int>();
    else if (key == "patience") p.patience = value.get<int>();
    else if (key == "weight_decay") p.weight_decay = value.get<double>();
    else if (key == "precision") p.precision = value.get<std::string>();
    else throw std::runtime_error("stored trial has an unknown parameter '" + key + "'");
  }
  return p;
}

FinalRunRecord run_final(const SweepSpec& spec, const SweepPlan& plan, Backend& backend,
                         const TrialRecord& trial, const std::vector<FoldRecord>& folds,
                         const std::string& kind, const StopRequested& stop_requested) {
  if (plan.holdout.test.empty()) {
    throw std::runtime_error("the sweep has no held-out test rows (test_split: 0)");
  }
  const auto start = std::chrono::steady_clock::now();
  const FoldData data = final_data(spec, plan);
  TrialSetup setup = trial_setup(spec, trial_params_from_json(trial.params_json), *plan.data,
                                 final_seed(trial_seed(spec, trial.params_hash)));
  const int epochs = final_epochs(folds);
  auto trainer = backend.create_trainer(setup.model, setup.train, data);
  train_fixed_epochs(*trainer, epochs, stop_requested);
  const Evaluation evaluation = trainer->evaluate(data.val_rows);

  FinalRunRecord run;
  run.trial_id = trial.id;
  run.kind = kind;
  run.epochs = epochs;
  run.test = compute_metrics(evaluation.confusion, evaluation.loss);
  run.confusion = evaluation.confusion;
  run.weights_hash = weights_hash(trainer->weights());
  run.device = backend.name();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

}  // namespace eegsweep
