#pragma once
// The backend-neutral training interfaces. A Backend receives the dataset once per sweep (a GPU
// keeps it resident) and creates one Trainer per (trial, fold). Every backend follows the rules
// of training_rules.h exactly, so that from the same seed all backends compute the same model.

#include <memory>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/standardize.h"
#include "engine/model/metrics.h"
#include "engine/model/model_config.h"
#include "engine/model/weights.h"

namespace eegsweep {

// A trial or unit failed in a way that is the model's, not the program's: non-finite loss,
// out of device memory. Recorded as the trial's failure reason; the sweep goes on.
class TrainingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What one trainer trains on: row indices into the backend's dataset and the standardization
// fitted on `train_rows` only. Inputs are gathered by row and standardized on the fly.
struct FoldData {
  RowList train_rows;
  RowList val_rows;
  Standardizer standardizer;
};

struct Evaluation {
  double loss = 0;  // mean cross-entropy over the rows
  ConfusionMatrix confusion;
  // rows × classes, row-major, in the order of the rows: the scores the confusion matrix's
  // predictions are the argmax of. Filled by the CPU backend (which `sweep predict` uses); may be
  // empty from others.
  std::vector<float> logits;
};

class Trainer {
 public:
  virtual ~Trainer() = default;

  // One pass over fold.train_rows in epoch_order(...), minibatches of batch_size (the last one
  // partial), dropout masks from dropout_keep(...), one Adam step per minibatch.
  // Returns the mean training loss over the samples. `epoch` counts from 0.
  virtual double train_epoch(int epoch) = 0;

  // Mean loss and confusion matrix over `rows` (no dropout, weights unchanged).
  virtual Evaluation evaluate(const RowList& rows) = 0;

  virtual ModelWeights weights() const = 0;
  // Replaces the weights (e.g. restoring the best epoch). Adam's moments are left as they are.
  virtual void set_weights(const ModelWeights& weights) = 0;

  // Mean loss over `batch` and its gradient in the layout of weights.h, without dropout and
  // without updating anything. For checking backends against each other and the reference.
  virtual double loss_and_gradient(const RowList& batch, std::vector<float>& gradient) = 0;

  // Backend details worth recording with the run (e.g. the cuDNN algorithm chosen).
  virtual std::string describe() const { return {}; }
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;  // "cpu (oneDNN …)", "cuda:0 NVIDIA H100 …"
  // How many trainers the scheduler should run at once on this backend.
  virtual int concurrency() const = 0;
  // The most trainers at once that can make sense here; a larger -j or resources.max_concurrent
  // is reduced to it (each trainer is a thread and its memory, and beyond this they only queue).
  virtual int max_concurrency() const = 0;
  // Called once per sweep, before any trainer is created.
  virtual void set_dataset(std::shared_ptr<const Dataset> data) = 0;
  // Starts from init_weights(model, train.seed). Thread-safe: the scheduler calls it from
  // several threads. May block until the trainer fits (device memory); throws TrainingError
  // when it never can.
  virtual std::unique_ptr<Trainer> create_trainer(const ModelConfig& model,
                                                  const TrainConfig& train,
                                                  const FoldData& fold) = 0;
};

}  // namespace eegsweep
