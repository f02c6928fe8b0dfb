#pragma once
// Small helpers shared by the CPU backend tests: random tables, standardization by hand, and the
// reference model's view of a minibatch.

#include <cmath>
#include <memory>
#include <vector>

#include "engine/data/dataset.h"
#include "engine/data/random.h"
#include "engine/data/standardize.h"
#include "engine/data/synthetic.h"
#include "engine/model/backend.h"
#include "engine/model/model_config.h"

namespace eegsweep::test {

// Random features (not centred, not unit scale, so standardization matters) and random labels.
inline std::shared_ptr<Dataset> random_dataset(std::size_t rows, std::size_t features, int classes,
                                               std::uint64_t seed) {
  auto data = std::make_shared<Dataset>();
  data->source = "random";
  data->rows = rows;
  data->features = features;
  CounterRng rng(seed);
  data->x.resize(rows * features);
  for (std::size_t k = 0; k < data->x.size(); ++k) {
    data->x[k] = static_cast<float>(3.0 + 2.0 * rng.normal() + 0.01 * static_cast<double>(k % features));
  }
  for (std::size_t r = 0; r < rows; ++r) data->y.push_back(static_cast<int>(rng.below(classes)));
  for (int c = 0; c < classes; ++c) data->class_names.push_back("c" + std::to_string(c));
  for (std::size_t f = 0; f < features; ++f) data->feature_names.push_back("f" + std::to_string(f));
  return data;
}

// Per-feature mean / inverse std over `rows`, computed here independently of Standardizer::fit.
inline Standardizer standardizer_of(const Dataset& data, const RowList& rows) {
  Standardizer s;
  s.mean.assign(data.features, 0.0f);
  s.inv_std.assign(data.features, 1.0f);
  for (std::size_t f = 0; f < data.features; ++f) {
    double sum = 0, sq = 0;
    for (RowIndex r : rows) sum += data.row(r)[f];
    const double mean = sum / rows.size();
    for (RowIndex r : rows) sq += (data.row(r)[f] - mean) * (data.row(r)[f] - mean);
    const double sd = std::sqrt(sq / rows.size());
    s.mean[f] = static_cast<float>(mean);
    s.inv_std[f] = sd > 0 ? static_cast<float>(1.0 / sd) : 1.0f;
  }
  return s;
}

// The batch as the reference model reads it: standardized in float exactly as a trainer does.
inline std::vector<double> standardized_inputs(const Dataset& data, const Standardizer& s,
                                               const RowList& rows) {
  std::vector<double> out;
  for (RowIndex r : rows) {
    for (std::size_t f = 0; f < data.features; ++f) out.push_back(s.apply(f, data.row(r)[f]));
  }
  return out;
}

inline std::vector<int> labels_of(const Dataset& data, const RowList& rows) {
  std::vector<int> out;
  for (RowIndex r : rows) out.push_back(data.y[r]);
  return out;
}

inline RowList all_rows(std::size_t n) {
  RowList rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = static_cast<RowIndex>(i);
  return rows;
}

// A small learnable task: 300 synthetic rows (3 classes, 32 features read as 16 × 2), every
// fifth row validating, and a model and settings that learn it in a few seconds on one core.
struct SyntheticTask {
  std::shared_ptr<Dataset> data;
  FoldData fold;
  ModelConfig model;
  TrainConfig train;
};

inline SyntheticTask small_synthetic_task() {
  SyntheticSpec spec;
  spec.rows = 300;
  spec.features = 32;
  spec.classes = 3;
  spec.noise = 0.5;
  spec.seed = 11;
  SyntheticTask task;
  task.data = std::make_shared<Dataset>(make_synthetic(spec));
  for (RowIndex r = 0; r < task.data->rows; ++r) {
    (r % 5 == 0 ? task.fold.val_rows : task.fold.train_rows).push_back(r);
  }
  task.fold.standardizer = Standardizer::fit(*task.data, task.fold.train_rows);
  task.model.input_size = 2;
  task.model.timesteps = 16;
  task.model.hidden_size = 24;
  task.model.head = Head::last;
  task.model.num_classes = 3;
  task.train.batch_size = 16;
  task.train.learning_rate = 1e-2;
  task.train.seed = 3;
  return task;
}

}  // namespace eegsweep::test
