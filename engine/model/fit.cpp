#include "engine/model/fit.h"

#include <chrono>
#include <cmath>
#include <string>

namespace eegsweep {

namespace {

void check_stop(const StopRequested& stop_requested) {
  if (stop_requested && stop_requested()) throw Interrupted();
}

void check_finite(double loss, int epoch) {
  if (!std::isfinite(loss)) {
    throw TrainingError("non-finite training loss (" + std::to_string(loss) + ") at epoch " +
                        std::to_string(epoch + 1));
  }
}

bool improves(double candidate, double best, bool maximize) {
  return maximize ? candidate > best : candidate < best;
}

}  // namespace

FitResult fit(Trainer& trainer, const FoldData& fold, const TrainConfig& config, int num_classes,
              const StopRequested& stop_requested, const StopTrial& stop_trial) {
  FitResult result;
  result.best_confusion = ConfusionMatrix(num_classes);
  int epochs_without_improvement = 0;
  double best_value = 0;

  for (int epoch = 0; epoch < config.epochs; ++epoch) {
    check_stop(stop_requested);
    const auto start = std::chrono::steady_clock::now();
    EpochRecord record;
    record.epoch = epoch;
    record.train_loss = trainer.train_epoch(epoch);
    check_finite(record.train_loss, epoch);
    const Evaluation evaluation = trainer.evaluate(fold.val_rows);
    record.val = compute_metrics(evaluation.confusion, evaluation.loss);
    record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.history.push_back(record);

    const double value = metric_value(record.val, config.monitor);
    // The first epoch is always the best so far; later ones must strictly improve, so that ties
    // keep the earlier (cheaper to reproduce) epoch.
    if (result.best_epoch < 0 || improves(value, best_value, config.maximize)) {
      best_value = value;
      result.best_epoch = epoch;
      result.best = record.val;
      result.best_confusion = evaluation.confusion;
      result.best_weights = trainer.weights();
      epochs_without_improvement = 0;
    } else if (config.patience > 0 && ++epochs_without_improvement >= config.patience) {
      result.stopped_early = true;
      break;
    }
    if (stop_trial && stop_trial(result.history)) {
      result.pruned = true;
      break;
    }
  }
  if (result.best_epoch >= 0) trainer.set_weights(result.best_weights);
  return result;
}

void train_fixed_epochs(Trainer& trainer, int epochs, const StopRequested& stop_requested) {
  for (int epoch = 0; epoch < epochs; ++epoch) {
    check_stop(stop_requested);
    check_finite(trainer.train_epoch(epoch), epoch);
  }
}

}  // namespace eegsweep
