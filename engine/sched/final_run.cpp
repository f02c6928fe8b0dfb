#include "engine/sched/final_run.h"

#include <algorithm>
#include <chrono>
#include <map>
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
  auto model = std::make_shared<TrainedModel>();
  model->config = setup.model;
  model->batch_size = setup.train.batch_size;
  model->standardizer = data.standardizer;
  model->weights = trainer->weights();
  model->feature_names = plan.data->feature_names;
  model->class_names = plan.data->class_names;
  run.weights_hash = weights_hash(model->weights);
  run.model = std::move(model);
  run.weights_hash = weights_hash(trainer->weights());
  // A test set of whole groups (grouped CV, or test.groups): each group's score, side by side, and
  // what the bootstrap resamples. A test set of single rows is resampled by row instead.
  if (plan.data->has_groups() && (plan.grouped || !spec.test.groups.empty())) {
    std::map<int, RowList> by_group;
    for (RowIndex r : data.val_rows) by_group[plan.data->group[r]].push_back(r);
    for (const auto& [g, rows] : by_group) {
      run.test_groups.emplace_back(plan.data->group_names.at(static_cast<std::size_t>(g)),
                                   trainer->evaluate(rows).confusion);
    }
  }
  run.device = backend.name();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

}  // namespace eegsweep
