// The oneDNN trainer's loss and every gradient element against the double-precision reference,
// on assorted shapes (batch, steps, inputs, hidden, layers, heads, classes), with standardized
// inputs and non-zero biases (so the six-to-four bias merge is exercised in both directions).

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/cpu/cpu_backend.h"
#include "engine/model/backend.h"
#include "tests/support/training_data.h"
#include "tests/support/reference_gru.h"

namespace eegsweep {
namespace {

struct Shape {
  int batch, timesteps, inputs, hidden, layers;
  Head head;
  int classes;
};

std::string describe(const Shape& s) {
  return "B" + std::to_string(s.batch) + " T" + std::to_string(s.timesteps) + " I" +
         std::to_string(s.inputs) + " H" + std::to_string(s.hidden) + " L" +
         std::to_string(s.layers) + " head" + std::to_string(static_cast<int>(s.head)) + " C" +
         std::to_string(s.classes);
}

class CpuMatchesReference : public ::testing::TestWithParam<Shape> {};

TEST_P(CpuMatchesReference, LossAndEveryGradientElement) {
  const Shape s = GetParam();
  SCOPED_TRACE(describe(s));
  ModelConfig model;
  model.input_size = s.inputs;
  model.timesteps = s.timesteps;
  model.hidden_size = s.hidden;
  model.num_layers = s.layers;
  model.head = s.head;
  model.num_classes = s.classes;
  const ParameterLayout layout(model);

  const std::size_t rows = static_cast<std::size_t>(s.batch) + 6;
  auto data = test::random_dataset(rows, static_cast<std::size_t>(s.timesteps) * s.inputs, s.classes,
                                   1000 + s.hidden);
  FoldData fold;
  fold.train_rows = test::all_rows(rows);
  fold.standardizer = test::standardizer_of(*data, fold.train_rows);
  TrainConfig train;
  train.seed = 99;
  train.batch_size = s.batch;

  auto backend = make_cpu_backend(1);
  backend->set_dataset(data);
  auto trainer = backend->create_trainer(model, train, fold);

  // Perturb the Keras init so that biases are non-zero and the head is not tiny.
  ModelWeights weights = trainer->weights();
  CounterRng rng(5);
  for (float& v : weights.values) v += static_cast<float>(0.2 * rng.normal());
  trainer->set_weights(weights);

  // A batch in scrambled order, to check the gather by row index.
  RowList batch;
  for (int b = 0; b < s.batch; ++b) batch.push_back(static_cast<RowIndex>((b * 5 + 3) % rows));
  std::vector<float> gradient;
  const double loss = trainer->loss_and_gradient(batch, gradient);

  const std::vector<double> w(weights.values.begin(), weights.values.end());
  const auto ref = reference::gru_loss_and_gradient(
      model, w, test::standardized_inputs(*data, fold.standardizer, batch), test::labels_of(*data, batch));
  EXPECT_NEAR(loss, ref.loss, 1e-5 * std::abs(ref.loss) + 1e-6);
  ASSERT_EQ(gradient.size(), ref.gradient.size());

  // Per tensor: float32 against double, over sums of up to T·H terms; the tolerance is relative
  // to the element with a floor relative to the tensor's largest element.
  struct Range { const char* name; std::size_t begin, end; };
  std::vector<Range> ranges;
  for (const auto& o : layout.layers) {
    ranges.push_back({"W", o.w, o.r});
    ranges.push_back({"R", o.r, o.b_w});
    ranges.push_back({"bW", o.b_w, o.b_r});
    ranges.push_back({"bR", o.b_r, o.b_r + 3 * static_cast<std::size_t>(s.hidden)});
  }
  ranges.push_back({"head.W", layout.head_w, layout.head_b});
  ranges.push_back({"head.b", layout.head_b, layout.total});
  for (const Range& r : ranges) {
    double largest = 0;
    for (std::size_t k = r.begin; k < r.end; ++k) largest = std::max(largest, std::abs(ref.gradient[k]));
    ASSERT_GT(largest, 0.0) << r.name;
    int failures = 0;
    for (std::size_t k = r.begin; k < r.end && failures < 5; ++k) {
      const double tol = 1e-4 * std::abs(ref.gradient[k]) + 2e-5 * largest;
      if (std::abs(gradient[k] - ref.gradient[k]) > tol) {
        ++failures;
        ADD_FAILURE() << r.name << "[" << (k - r.begin) << "]: cpu " << gradient[k] << ", reference "
                      << ref.gradient[k] << " (largest " << largest << ")";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, CpuMatchesReference,
    ::testing::Values(Shape{5, 7, 3, 8, 1, Head::last, 3}, Shape{4, 6, 2, 16, 2, Head::flatten, 4},
                      Shape{3, 9, 1, 5, 2, Head::mean, 2}, Shape{8, 4, 6, 32, 3, Head::flatten, 5},
                      Shape{1, 3, 4, 4, 2, Head::mean, 3}, Shape{16, 20, 2, 24, 1, Head::last, 3},
                      Shape{6, 30, 1, 64, 1, Head::flatten, 3}));

}  // namespace
}  // namespace eegsweep
