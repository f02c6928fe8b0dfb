// The cuDNN backend's host-side decisions, checked without a GPU: the map from our flat weight
// layout to cuDNN's weight space (fed synthetic offsets such as cudnnGetRNNWeightParams could
// report), the algorithm candidates, the memory estimate and the admission rule.

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "cuda/cuda_backend.h"
#include "cuda/planning.h"
#include "engine/model/weights.h"

namespace eegsweep::cuda {
namespace {

ModelConfig small_model(int layers, Head head = Head::last) {
  ModelConfig m;
  m.input_size = 3;
  m.timesteps = 5;
  m.hidden_size = 4;
  m.num_layers = layers;
  m.head = head;
  m.num_classes = 2;
  return m;
}

// A weight space laid out the way cuDNN might choose, and not the way we do: per layer all six
// matrices in reverse linLayerID order, then the biases, with a gap of `pad` floats after every
// block. Returns the blocks and the space's size in floats.
std::vector<CudnnBlock> synthetic_blocks(const ModelConfig& m, std::int64_t pad, std::int64_t* space) {
  const std::int64_t h = m.hidden_size;
  std::vector<CudnnBlock> blocks(static_cast<std::size_t>(m.num_layers) * gru_linear_layers);
  std::int64_t at = 7;  // the space need not start with the first block
  for (int l = 0; l < m.num_layers; ++l) {
    const std::int64_t in = l == 0 ? m.input_size : h;
    for (int lin = gru_linear_layers - 1; lin >= 0; --lin) {
      CudnnBlock& b = blocks[static_cast<std::size_t>(l * gru_linear_layers + lin)];
      b.matrix = at;
      b.matrix_elements = lin < 3 ? h * in : h * h;
      at += b.matrix_elements + pad;
    }
    for (int lin = gru_linear_layers - 1; lin >= 0; --lin) {
      CudnnBlock& b = blocks[static_cast<std::size_t>(l * gru_linear_layers + lin)];
      b.bias = at;
      b.bias_elements = h;
      at += h + pad;
    }
  }
  *space = at;
  return blocks;
}

TEST(WeightIndexMap, SendsEveryGruParameterToItsCudnnPlace) {
  const ModelConfig m = small_model(2);
  const ParameterLayout layout(m);
  std::int64_t space = 0;
  const auto blocks = synthetic_blocks(m, 3, &space);
  const std::vector<std::int64_t> map = weight_index_map(layout, blocks, space);
  ASSERT_EQ(map.size(), layout.head_w);

  const std::int64_t h = m.hidden_size;
  for (int l = 0; l < m.num_layers; ++l) {
    const GruLayerOffsets& off = layout.layers[static_cast<std::size_t>(l)];
    const std::int64_t in = off.input_size;
    for (int g = 0; g < 3; ++g) {
      const CudnnBlock& input = blocks[static_cast<std::size_t>(l * 6 + g)];
      const CudnnBlock& recurrent = blocks[static_cast<std::size_t>(l * 6 + 3 + g)];
      for (std::int64_t o = 0; o < h; ++o) {
        // Row o of gate g: W[g][o][i] (our layout) is cuDNN's input matrix g at row o, column i.
        for (std::int64_t i = 0; i < in; ++i) {
          EXPECT_EQ(map[off.w + static_cast<std::size_t>((g * h + o) * in + i)], input.matrix + o * in + i);
        }
        for (std::int64_t j = 0; j < h; ++j) {
          EXPECT_EQ(map[off.r + static_cast<std::size_t>((g * h + o) * h + j)], recurrent.matrix + o * h + j);
        }
        EXPECT_EQ(map[off.b_w + static_cast<std::size_t>(g * h + o)], input.bias + o);
        EXPECT_EQ(map[off.b_r + static_cast<std::size_t>(g * h + o)], recurrent.bias + o);
      }
    }
  }
}

TEST(WeightIndexMap, ScatterThenGatherIsTheIdentity) {
  const ModelConfig m = small_model(3, Head::flatten);
  const ParameterLayout layout(m);
  std::int64_t space = 0;
  const auto blocks = synthetic_blocks(m, 1, &space);
  const auto map = weight_index_map(layout, blocks, space);
  std::vector<float> params(layout.head_w);
  std::iota(params.begin(), params.end(), 1.0f);
  std::vector<float> weight_space(static_cast<std::size_t>(space), 0.0f);
  for (std::size_t i = 0; i < map.size(); ++i) weight_space[static_cast<std::size_t>(map[i])] = params[i];
  std::vector<float> back(map.size());
  for (std::size_t i = 0; i < map.size(); ++i) back[i] = weight_space[static_cast<std::size_t>(map[i])];
  EXPECT_EQ(back, params);
  // Injective: every parameter has a float of its own.
  EXPECT_EQ(std::set<std::int64_t>(map.begin(), map.end()).size(), map.size());
}

TEST(WeightIndexMap, RejectsLayoutsItDoesNotUnderstand) {
  const ModelConfig m = small_model(1);
  const ParameterLayout layout(m);
  std::int64_t space = 0;
  const auto good = synthetic_blocks(m, 0, &space);
  ASSERT_NO_THROW(weight_index_map(layout, good, space));

  auto wrong_size = good;
  wrong_size[4].matrix_elements -= 1;
  EXPECT_THROW(weight_index_map(layout, wrong_size, space), std::runtime_error);

  auto missing = good;
  missing[2].bias = -1;
  EXPECT_THROW(weight_index_map(layout, missing, space), std::runtime_error);

  auto overlapping = good;
  overlapping[1].matrix = overlapping[0].matrix;
  EXPECT_THROW(weight_index_map(layout, overlapping, space), std::runtime_error);

  EXPECT_THROW(weight_index_map(layout, good, space - 1), std::runtime_error);  // past the end

  auto too_few = good;
  too_few.pop_back();
  EXPECT_THROW(weight_index_map(layout, too_few, space), std::runtime_error);

  try {
    weight_index_map(layout, wrong_size, space);
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("linLayerID 4"), std::string::npos) << e.what();
  }
}

TEST(DecayMask, MarksExactlyTheMatrices) {
  const ModelConfig m = small_model(2, Head::mean);
  const ParameterLayout layout(m);
  const auto mask = decay_mask(layout);
  ASSERT_EQ(mask.size(), layout.total);
  const std::size_t h = 4, in = 3, c = 2;
  const std::size_t matrices = (3 * h * in + 3 * h * h) + (3 * h * h + 3 * h * h) + c * h;
  EXPECT_EQ(static_cast<std::size_t>(std::count(mask.begin(), mask.end(), 1)), matrices);
  EXPECT_EQ(mask[layout.layers[0].w], 1);
  EXPECT_EQ(mask[layout.layers[1].b_r], 0);
  EXPECT_EQ(mask[layout.head_b], 0);
}

TEST(AlgorithmChoice, PersistentKernelOnlyForSmallHiddenOnVoltaOrLater) {
  using A = RnnAlgorithm;
  EXPECT_EQ(algorithm_candidates(64, 9), (std::vector<A>{A::persist_static_small_h, A::standard}));
  EXPECT_EQ(algorithm_candidates(128, 7), (std::vector<A>{A::persist_static_small_h, A::standard}));
  EXPECT_EQ(algorithm_candidates(129, 9), std::vector<A>{A::standard});
  EXPECT_EQ(algorithm_candidates(256, 9), std::vector<A>{A::standard});
  EXPECT_EQ(algorithm_candidates(64, 6), std::vector<A>{A::standard});
  EXPECT_STREQ(algorithm_name(A::standard), "standard");
  EXPECT_STREQ(algorithm_name(A::persist_static_small_h), "persist_static_small_h");
}

TEST(MemoryEstimate, CountsEveryBufferOfOneTrainer) {
  TrainerShape shape;
  shape.model = small_model(1, Head::last);
  shape.batch_size = 8;
  shape.train_rows = 100;
  shape.eval_rows = 150;
  shape.features = 15;
  CudnnSizes sizes{1000, 20000, 300000};
  const MemoryEstimate e = estimate_trainer_memory(shape, sizes);
  EXPECT_EQ(e.cudnn, 2 * 1000 + 20000 + 300000u);
  const ParameterLayout layout(shape.model);
  EXPECT_EQ(e.parameters, 16 * layout.total + 8 * layout.head_w + layout.total);
  EXPECT_EQ(e.indices, (100 + 150) * 4 + 2 * 15 * 4u);
  // x, dx [8, 5, 3]; y, dy [8, 5, 4]; head input and its gradient [8, 4]; logits and gradient
  // [8, 2]; per-sample loss, label, prediction, length; confusion 2×2; two doubles.
  const std::size_t activations = 4 * (2 * 8 * 15 + 2 * 8 * 20 + 2 * 8 * 4 + 2 * 8 * 2) +
                                  8 * (4 + 4 + 4 + 4) + 4 * 8 + 2 * 8;
  EXPECT_EQ(e.activations, activations);
  EXPECT_GE(e.overhead, cublas_workspace_bytes);
  EXPECT_EQ(e.total(), e.parameters + e.cudnn + e.activations + e.indices + e.overhead);
}

TEST(MemoryEstimate, FlattenWithoutDropoutReadsCudnnOutputInPlace) {
  TrainerShape shape;
  shape.model = small_model(1, Head::flatten);
  shape.batch_size = 8;
  const CudnnSizes sizes{};
  const std::size_t plain = estimate_trainer_memory(shape, sizes).activations;
  shape.dropout = 0.5;
  const std::size_t with_dropout = estimate_trainer_memory(shape, sizes).activations;
  EXPECT_EQ(with_dropout - plain, 8u * shape.model.head_inputs() * sizeof(float));
  EXPECT_FALSE(needs_head_buffer(Head::flatten, 0.0));
  EXPECT_TRUE(needs_head_buffer(Head::flatten, 0.1));
  EXPECT_TRUE(needs_head_buffer(Head::last, 0.0));
  EXPECT_TRUE(needs_head_buffer(Head::mean, 0.0));
}

TEST(MemoryEstimate, ClassicShapeIsDominatedByCudnnAndActivations) {
  // The classic notebook's shape: batch 32, 2548 steps × 1 input, hidden 256, flatten head.
  TrainerShape shape;
  shape.model.input_size = 1;
  shape.model.timesteps = 2548;
  shape.model.hidden_size = 256;
  shape.model.head = Head::flatten;
  shape.model.num_classes = 3;
  shape.batch_size = 32;
  const MemoryEstimate e = estimate_trainer_memory(shape, CudnnSizes{});
  // y and dy alone: 2 × 32 × 2548 × 256 floats.
  EXPECT_GE(e.activations, 2u * 32 * 2548 * 256 * 4);
  EXPECT_LT(e.activations, 3u * 32 * 2548 * 256 * 4);
}

TEST(Admission, AdmitsWaitsOrRefuses) {
  const std::size_t gib = std::size_t{1} << 30;
  const std::size_t m = admission_margin_bytes;
  EXPECT_EQ(admission(gib, DeviceLoad{gib + m, 80 * gib, 0}), Admission::admit);  // exactly fits
  EXPECT_EQ(admission(gib, DeviceLoad{gib + m - 1, 80 * gib, 3}), Admission::wait);
  EXPECT_EQ(admission(gib, DeviceLoad{gib + m - 1, 80 * gib, 0}), Admission::never);  // nothing to wait for
  EXPECT_EQ(admission(90 * gib, DeviceLoad{10 * gib, 80 * gib, 5}), Admission::never);  // larger than the GPU
}

TEST(Admission, LeastLoadedDevice) {
  const std::size_t gib = std::size_t{1} << 30;
  EXPECT_EQ(least_loaded_device({{10 * gib, 80 * gib, 2}, {5 * gib, 80 * gib, 1}}), 1);
  EXPECT_EQ(least_loaded_device({{10 * gib, 80 * gib, 1}, {20 * gib, 80 * gib, 1}}), 1);
  EXPECT_EQ(least_loaded_device({{10 * gib, 80 * gib, 1}, {10 * gib, 80 * gib, 1}}), 0);
  EXPECT_THROW(least_loaded_device({}), std::invalid_argument);
}

TEST(FormatBytes, MebibytesWithOneDecimal) {
  EXPECT_EQ(format_bytes(std::size_t{3} << 20), "3.0 MiB");
  EXPECT_EQ(format_bytes(std::size_t{1} << 19), "0.5 MiB");
}

// Runs everywhere: without a GPU the factory refuses with the same reason cuda_usable gives.
TEST(CudaUsable, ExplainsWhyNotAndTheFactoryAgrees) {
  std::string why;
  if (cuda_usable(&why)) {
    EXPECT_TRUE(why.empty());
    EXPECT_NO_THROW(make_cuda_backend());
    return;
  }
  EXPECT_FALSE(why.empty());
  try {
    make_cuda_backend();
    ADD_FAILURE() << "make_cuda_backend succeeded although cuda_usable said: " << why;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(why.substr(0, 18)), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace eegsweep::cuda
