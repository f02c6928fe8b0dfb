// The reference model's analytic gradient against central finite differences, for every head,
// two layers, with and without a dropout mask on the head's input.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/data/random.h"
#include "engine/model/weights.h"
#include "tests/support/reference_gru.h"

namespace eegsweep {
namespace {

struct Tensor {
  std::string name;
  std::size_t begin, end;
};

std::vector<Tensor> tensors_of(const ParameterLayout& layout) {
  std::vector<Tensor> out;
  const std::size_t h3 = 3 * static_cast<std::size_t>(layout.hidden_size);
  for (std::size_t l = 0; l < layout.layers.size(); ++l) {
    const GruLayerOffsets& o = layout.layers[l];
    const std::string p = "layer" + std::to_string(l) + ".";
    out.push_back({p + "W", o.w, o.r});
    out.push_back({p + "R", o.r, o.b_w});
    out.push_back({p + "bW", o.b_w, o.b_r});
    out.push_back({p + "bR", o.b_r, o.b_r + h3});
  }
  out.push_back({"head.W", layout.head_w, layout.head_b});
  out.push_back({"head.b", layout.head_b, layout.total});
  return out;
}

void check_gradient(Head head, bool with_dropout) {
  ModelConfig config;
  config.input_size = 3;
  config.timesteps = 5;
  config.hidden_size = 4;
  config.num_layers = 2;
  config.head = head;
  config.num_classes = 3;
  const ParameterLayout layout(config);

  // Keras init plus noise everywhere, so biases are non-zero and every path is exercised.
  CounterRng rng(42 + static_cast<int>(head));
  std::vector<double> w;
  for (float v : init_weights(config, 7).values) w.push_back(v + 0.3 * rng.normal());
  const int batch = 3;
  std::vector<double> x;
  for (int k = 0; k < batch * config.timesteps * config.input_size; ++k) x.push_back(rng.normal());
  const std::vector<int> labels = {0, 2, 1};
  std::vector<double> scale;
  if (with_dropout) {
    for (int k = 0; k < batch * layout.head_inputs; ++k) scale.push_back(rng.uniform() < 0.3 ? 0.0 : 1.0 / 0.7);
  }
  const std::vector<double>* mask = with_dropout ? &scale : nullptr;

  const reference::GruResult analytic = reference::gru_loss_and_gradient(config, w, x, labels, true, mask);
  ASSERT_EQ(analytic.gradient.size(), layout.total);
  EXPECT_GT(analytic.loss, 0.0);

  const double eps = 1e-5;
  for (const Tensor& t : tensors_of(layout)) {
    double largest = 0;
    for (std::size_t k = t.begin; k < t.end; ++k) largest = std::max(largest, std::abs(analytic.gradient[k]));
    EXPECT_GT(largest, 0.0) << t.name << ": an all-zero gradient checks nothing";
    for (int probe = 0; probe < 6; ++probe) {
      const std::size_t k = t.begin + rng.below(t.end - t.begin);
      std::vector<double> plus = w, minus = w;
      plus[k] += eps;
      minus[k] -= eps;
      const double numeric = (reference::gru_loss_and_gradient(config, plus, x, labels, false, mask).loss -
                              reference::gru_loss_and_gradient(config, minus, x, labels, false, mask).loss) /
                             (2 * eps);
      EXPECT_NEAR(analytic.gradient[k], numeric, 1e-7 + 1e-5 * std::abs(numeric))
          << t.name << " element " << (k - t.begin) << ", head " << static_cast<int>(head);
    }
  }
}

}  // namespace

TEST(ReferenceGru, LastHeadGradientMatchesFiniteDifferences) { check_gradient(Head::last, false); }
TEST(ReferenceGru, FlattenHeadGradientMatchesFiniteDifferences) { check_gradient(Head::flatten, false); }
TEST(ReferenceGru, MeanHeadGradientMatchesFiniteDifferences) { check_gradient(Head::mean, false); }
TEST(ReferenceGru, GradientWithDropoutMaskMatchesFiniteDifferences) {
  check_gradient(Head::flatten, true);
  check_gradient(Head::mean, true);
}

// A one-step, one-unit GRU small enough to compute by hand: checks the cell equations themselves
// (gate roles, reset-after), which a gradient check alone would not.
TEST(ReferenceGru, OneUnitOneStepMatchesTheCellEquations) {
  ModelConfig config;
  config.input_size = 1;
  config.timesteps = 1;
  config.hidden_size = 1;
  config.head = Head::last;
  config.num_classes = 2;
  const ParameterLayout layout(config);
  std::vector<double> w(layout.total, 0.0);
  const auto& o = layout.layers[0];
  w[o.w + gate_r] = 0.5;  w[o.w + gate_z] = -1.0;  w[o.w + gate_n] = 2.0;
  w[o.b_w + gate_r] = 0.1; w[o.b_w + gate_z] = 0.2; w[o.b_w + gate_n] = -0.3;
  w[o.b_r + gate_r] = 0.05; w[o.b_r + gate_z] = -0.1; w[o.b_r + gate_n] = 0.4;
  w[layout.head_w + 0] = 1.5; w[layout.head_w + 1] = -0.5;
  w[layout.head_b + 1] = 0.25;
  const double x = 0.7;
  const double r = 1 / (1 + std::exp(-(0.5 * x + 0.1 + 0.05)));
  const double z = 1 / (1 + std::exp(-(-1.0 * x + 0.2 - 0.1)));
  const double n = std::tanh(2.0 * x - 0.3 + r * 0.4);  // h0 = 0: R h vanishes, bR_n stays
  const double h = (1 - z) * n;
  const double l0 = 1.5 * h, l1 = -0.5 * h + 0.25;
  const double expected = std::log(std::exp(l0) + std::exp(l1)) - l1;
  const auto result = reference::gru_loss_and_gradient(config, w, {x}, {1}, false);
  EXPECT_NEAR(result.loss, expected, 1e-12);
}

}  // namespace eegsweep
