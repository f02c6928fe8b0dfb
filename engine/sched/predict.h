#pragma once
// `sweep predict`: a stored final model (Store::final_model) applied to new data — a CSV feature
// table or a directory of raw Muse recordings, read and featurized as the sweep read its own
// data — giving each row's class probabilities and, when the data has groups (recordings), each
// group's mean probabilities.

#include <memory>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/model/trained_model.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {

// The rows to predict. y is in the model's class order; `labelled` is false when the data carries
// no labels (then y is all 0 and says nothing).
struct PredictionInput {
  std::shared_ptr<Dataset> data;
  bool labelled = false;
};

// Reads `path` as the sweep `spec` read its data: a directory as Muse recordings (the sweep's
// featurization, grouped by recording), a file as a CSV table (label column optional; the group
// column is `group_column`, else the sweep's group column when the table has it). Classes are
// mapped by name onto the model's. Throws DataError naming the file and row/column: unreadable
// data, a label the model does not know, a feature column missing, extra or out of order.
PredictionInput read_prediction_data(const SweepSpec& spec, const TrainedModel& model,
                                     const std::string& path, const std::string& group_column = {});

struct Predictions {
  std::vector<std::string> class_names;
  std::size_t rows = 0;
  std::vector<float> logits;           // rows × classes
  std::vector<double> probabilities;   // rows × classes, softmax of the logits
  std::vector<int> predicted;          // per row: argmax of the logits (as the stored scores)
};

// Applies the model on the CPU backend, in minibatches of model.batch_size, exactly as the final
// run scored its test rows: the same rows in the same order give the same logits, bit for bit.
Predictions predict_rows(const TrainedModel& model, const PredictionInput& input);

// The predictions as CSV: a header `kind,row,<group>,label,predicted,p_<class>…`, one line per
// row (kind "row", row counted from 1 in the data's order), then, when the data has groups, one
// line per group (kind "group", the mean of its rows' probabilities, predicted = its argmax;
// label filled when all its rows share one). Probabilities with 9 significant digits.
std::string predictions_csv(const PredictionInput& input, const Predictions& predictions);

}  // namespace eegsweep
