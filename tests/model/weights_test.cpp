// The parameter layout and the Keras-style initialiser of weights.h.

#include "engine/model/weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace eegsweep {
namespace {

ModelConfig config_of(int inputs, int steps, int hidden, int layers, Head head, int classes) {
  ModelConfig c;
  c.input_size = inputs;
  c.timesteps = steps;
  c.hidden_size = hidden;
  c.num_layers = layers;
  c.head = head;
  c.num_classes = classes;
  return c;
}

TEST(ParameterLayout, OffsetsFollowTheDocumentedOrder) {
  const ModelConfig c = config_of(3, 7, 5, 2, Head::flatten, 4);
  const ParameterLayout layout(c);
  ASSERT_EQ(layout.layers.size(), 2u);
  const GruLayerOffsets& l0 = layout.layers[0];
  const GruLayerOffsets& l1 = layout.layers[1];
  EXPECT_EQ(l0.input_size, 3);
  EXPECT_EQ(l1.input_size, 5);
  EXPECT_EQ(l0.w, 0u);
  EXPECT_EQ(l0.r, 3u * 5 * 3);
  EXPECT_EQ(l0.b_w, l0.r + 3u * 5 * 5);
  EXPECT_EQ(l0.b_r, l0.b_w + 15);
  EXPECT_EQ(l1.w, l0.b_r + 15);
  EXPECT_EQ(l1.r, l1.w + 3u * 5 * 5);
  EXPECT_EQ(layout.head_inputs, 35);
  EXPECT_EQ(layout.head_w, l1.b_r + 15);
  EXPECT_EQ(layout.head_b, layout.head_w + 4u * 35);
  EXPECT_EQ(layout.total, layout.head_b + 4);
  EXPECT_EQ(ParameterLayout(config_of(3, 7, 5, 2, Head::mean, 4)).head_inputs, 5);
}

TEST(ParameterLayout, IsMatrixOnlyForWeightMatrices) {
  const ParameterLayout layout(config_of(2, 4, 3, 2, Head::last, 3));
  std::size_t matrices = 0;
  for (std::size_t k = 0; k < layout.total; ++k) matrices += layout.is_matrix(k);
  // W and R of both layers, and the head's matrix.
  EXPECT_EQ(matrices, 3u * 3 * 2 + 3u * 3 * 3 + 3u * 3 * 3 + 3u * 3 * 3 + 3u * 3);
  EXPECT_TRUE(layout.is_matrix(layout.layers[0].w));
  EXPECT_TRUE(layout.is_matrix(layout.layers[0].b_w - 1));
  EXPECT_FALSE(layout.is_matrix(layout.layers[0].b_w));
  EXPECT_FALSE(layout.is_matrix(layout.layers[1].w - 1));
  EXPECT_TRUE(layout.is_matrix(layout.layers[1].w));
  EXPECT_TRUE(layout.is_matrix(layout.head_w));
  EXPECT_FALSE(layout.is_matrix(layout.head_b));
  EXPECT_FALSE(layout.is_matrix(layout.total - 1));
}

TEST(ParameterLayout, RejectsImpossibleShapes) {
  EXPECT_THROW(ParameterLayout(config_of(0, 4, 3, 1, Head::last, 3)), std::invalid_argument);
  EXPECT_THROW(ParameterLayout(config_of(1, 4, 3, 0, Head::last, 3)), std::invalid_argument);
  EXPECT_THROW(ParameterLayout(config_of(1, 4, 3, 1, Head::last, 1)), std::invalid_argument);
}

TEST(InitWeights, RecurrentMatricesHaveOrthonormalKerasRows) {
  const int h = 24;
  const ModelConfig c = config_of(4, 3, h, 2, Head::last, 3);
  const ParameterLayout layout(c);
  const ModelWeights w = init_weights(c, 11);
  for (const GruLayerOffsets& l : layout.layers) {
    // Keras's (H, 3H) recurrent kernel row j is column j of our three gate blocks R[g][·][j].
    for (int j1 = 0; j1 < h; ++j1) {
      for (int j2 = 0; j2 < h; ++j2) {
        double dot = 0;
        for (int g = 0; g < 3; ++g) {
          for (int o = 0; o < h; ++o) {
            const std::size_t base = l.r + (static_cast<std::size_t>(g) * h + o) * h;
            dot += static_cast<double>(w.values[base + j1]) * w.values[base + j2];
          }
        }
        EXPECT_NEAR(dot, j1 == j2 ? 1.0 : 0.0, 1e-5) << "rows " << j1 << ", " << j2;
      }
    }
  }
}

TEST(InitWeights, GlorotBoundsAndZeroBiases) {
  const int in = 5, h = 16, steps = 10, classes = 4;
  const ModelConfig c = config_of(in, steps, h, 2, Head::flatten, classes);
  const ParameterLayout layout(c);
  const ModelWeights w = init_weights(c, 3);
  auto check_uniform = [&](std::size_t begin, std::size_t end, double limit, const char* what) {
    double largest = 0, sum = 0;
    for (std::size_t k = begin; k < end; ++k) {
      largest = std::max(largest, std::abs(static_cast<double>(w.values[k])));
      sum += w.values[k];
    }
    EXPECT_LE(largest, limit) << what;
    EXPECT_GT(largest, 0.9 * limit) << what << ": a uniform draw fills its range";
    EXPECT_LT(std::abs(sum / (end - begin)), 0.1 * limit) << what;
  };
  check_uniform(layout.layers[0].w, layout.layers[0].r, std::sqrt(6.0 / (in + 3 * h)), "layer 0 kernel");
  check_uniform(layout.layers[1].w, layout.layers[1].r, std::sqrt(6.0 / (h + 3 * h)), "layer 1 kernel");
  check_uniform(layout.head_w, layout.head_b, std::sqrt(6.0 / (steps * h + classes)), "head");
  for (const GruLayerOffsets& l : layout.layers) {
    for (std::size_t k = l.b_w; k < l.b_r + 3 * h; ++k) EXPECT_EQ(w.values[k], 0.0f);
  }
  for (std::size_t k = layout.head_b; k < layout.total; ++k) EXPECT_EQ(w.values[k], 0.0f);
}

TEST(InitWeights, DeterministicPerSeed) {
  const ModelConfig c = config_of(3, 6, 8, 2, Head::mean, 3);
  const ModelWeights a = init_weights(c, 42), b = init_weights(c, 42), d = init_weights(c, 43);
  ASSERT_EQ(a.values.size(), ParameterLayout(c).total);
  EXPECT_EQ(0, std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(float)));
  EXPECT_NE(a.values, d.values);
  // Each tensor has its own stream: the GRU's weights do not depend on the head's shape.
  ModelConfig wider_head = c;
  wider_head.num_classes = 5;
  const ModelWeights e = init_weights(wider_head, 42);
  const std::size_t gru_params = ParameterLayout(c).head_w;
  EXPECT_TRUE(std::equal(a.values.begin(), a.values.begin() + gru_params, e.values.begin()));
}

TEST(WeightsHash, StableHexThatSeesEveryBit) {
  const ModelConfig c = config_of(2, 4, 6, 1, Head::last, 2);
  ModelWeights a = init_weights(c, 1);
  const std::string h = weights_hash(a);
  EXPECT_EQ(h.size(), 16u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(h, weights_hash(init_weights(c, 1)));
  std::uint32_t bits;
  std::memcpy(&bits, &a.values[7], 4);
  bits ^= 1;  // one ulp
  std::memcpy(&a.values[7], &bits, 4);
  EXPECT_NE(h, weights_hash(a));
  EXPECT_NE(weights_hash(ModelWeights{{0.0f}}), weights_hash(ModelWeights{{-0.0f}}));
  EXPECT_NE(weights_hash(ModelWeights{{}}), weights_hash(ModelWeights{{0.0f}}));
}

}  // namespace
}  // namespace eegsweep
