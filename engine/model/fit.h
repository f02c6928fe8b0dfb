#pragma once
// The epoch loop shared by every backend: train, evaluate on the validation rows, early stopping
// with patience on the monitored metric, and the best epoch's weights restored at the end.

#include <functional>
#include <vector>

#include "engine/model/backend.h"

namespace eegsweep {

// Thrown between epochs when the caller asks to stop (Ctrl-C): nothing of the unit is kept.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

struct EpochRecord {
  int epoch = 0;  // from 0
  double train_loss = 0;
  Metrics val;
  double seconds = 0;
};

struct FitResult {
  std::vector<EpochRecord> history;
  int best_epoch = -1;  // index into history
  Metrics best;         // validation metrics at best_epoch
  ConfusionMatrix best_confusion;
  ModelWeights best_weights;
  bool stopped_early = false;
  bool pruned = false;  // stop_trial() said so after the last epoch of `history`
};

using StopRequested = std::function<bool()>;
// Asked after every epoch with the history so far: true ends training there, the epochs so far
// kept (an early-termination rule such as hyperband judged the trial hopeless).
using StopTrial = std::function<bool(const std::vector<EpochRecord>&)>;

// Trains up to config.epochs epochs. Throws TrainingError on a non-finite training loss and
// Interrupted when stop_requested() turns true between epochs.
FitResult fit(Trainer& trainer, const FoldData& fold, const TrainConfig& config, int num_classes,
              const StopRequested& stop_requested = {}, const StopTrial& stop_trial = {});

// Exactly `epochs` epochs, no validation (the final retraining on all non-test rows).
void train_fixed_epochs(Trainer& trainer, int epochs, const StopRequested& stop_requested = {});

}  // namespace eegsweep
