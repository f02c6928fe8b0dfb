#pragma once
// The host-side decisions of the cuDNN backend, as pure functions so that they are tested on a
// machine without a GPU: where each of our parameters lives in cuDNN's weight space, which RNN
// algorithms to try, how much device memory a trainer needs, and whether (and on which GPU) a
// new trainer is admitted. No CUDA header is included here.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/model_config.h"
#include "engine/model/weights.h"

namespace eegsweep::cuda {

// ---- weight layout ---------------------------------------------------------------------------

// Where cuDNN keeps one linear layer (cudnnGetRNNWeightParams of (pseudo-layer, linLayerID)):
// float offsets from the start of the weight space and element counts as its descriptors say.
struct CudnnBlock {
  std::int64_t matrix = -1;
  std::int64_t matrix_elements = 0;
  std::int64_t bias = -1;
  std::int64_t bias_elements = 0;
};

// cuDNN's GRU linLayerIDs: 0, 1, 2 = input matrices (and input biases) of r, z, n;
// 3, 4, 5 = recurrent matrices (and recurrent biases) of r, z, n.
constexpr int gru_linear_layers = 6;
inline int input_lin_layer_id(Gate gate) { return static_cast<int>(gate); }
inline int recurrent_lin_layer_id(Gate gate) { return 3 + static_cast<int>(gate); }

// For every GRU parameter of our flat layout (indices [0, layout.head_w)), the float offset of
// the same parameter in cuDNN's weight space. blocks[layer · 6 + linLayerID] as cuDNN reported
// them. cuDNN's matrices are row-major hidden × input like ours, so each block maps
// element-for-element. Throws std::runtime_error when a block is missing, has the wrong size,
// lies outside the weight space or overlaps another (a cuDNN layout we do not understand).
std::vector<std::int64_t> weight_index_map(const ParameterLayout& layout,
                                           const std::vector<CudnnBlock>& blocks,
                                           std::int64_t weight_space_floats);

// 1 for parameters that take weight decay (matrices), 0 for biases.
std::vector<std::uint8_t> decay_mask(const ParameterLayout& layout);

// ---- algorithm -------------------------------------------------------------------------------

enum class RnnAlgorithm { standard, persist_static_small_h };
const char* algorithm_name(RnnAlgorithm algorithm);

// In order of preference. The persistent small-hidden kernel keeps the recurrent weights in
// registers/shared memory, which is where a long sequence at a small batch is latency-bound;
// PyTorch uses it for FP32 GRU up to hidden 128 in training (it needs compute capability 7.0).
// STANDARD is always last, the fallback when cuDNN answers NOT_SUPPORTED.
std::vector<RnnAlgorithm> algorithm_candidates(int hidden_size, int compute_capability_major);

// ---- memory ----------------------------------------------------------------------------------

// Sizes cuDNN reports for one trainer's RNN (bytes). Workspace is the larger of training and
// inference; both are the largest over the candidate algorithms while the choice is not known.
struct CudnnSizes {
  std::size_t weight_space = 0;
  std::size_t workspace = 0;
  std::size_t reserve = 0;
};

struct TrainerShape {
  ModelConfig model;
  int batch_size = 32;
  double dropout = 0;
  std::size_t train_rows = 0;  // the fold's training rows (the epoch order lives on the device)
  std::size_t eval_rows = 0;   // capacity kept for evaluate()'s row list
  std::size_t features = 0;    // standardization statistics
};

struct MemoryEstimate {
  std::size_t parameters = 0;   // flat weights, gradient, Adam m and v, index map, decay mask
  std::size_t cudnn = 0;        // weight space and its gradient, workspace, reserve
  std::size_t activations = 0;  // x, dx, y, dy, head input and its gradient, logits, …
  std::size_t indices = 0;      // row lists and standardization statistics
  std::size_t overhead = 0;     // handles, cuBLAS workspace, allocation rounding
  std::size_t total() const { return parameters + cudnn + activations + indices + overhead; }
};

// Whether a trainer needs its own buffer for the head's input (last/mean, or dropout on
// flatten); without one the flatten head reads cuDNN's output y directly.
bool needs_head_buffer(Head head, double dropout);

// cuBLAS workspace of each handle set, one per live trainer (cuBLAS recommends 32 MiB on Hopper).
constexpr std::size_t cublas_workspace_bytes = std::size_t{32} << 20;

MemoryEstimate estimate_trainer_memory(const TrainerShape& shape, const CudnnSizes& sizes);

// ---- admission -------------------------------------------------------------------------------

struct DeviceLoad {
  std::size_t free_bytes = 0;   // cudaMemGetInfo
  std::size_t total_bytes = 0;
  int active_trainers = 0;      // ours, admitted and not yet destroyed
};

enum class Admission { admit, wait, never };

// Kept free on every device beyond the estimates: cuDNN/cuBLAS allocate a little themselves and
// the estimate is not exact.
constexpr std::size_t admission_margin_bytes = std::size_t{256} << 20;

// admit: it fits now. wait: it does not, but trainers of ours on this device will free memory.
// never: it cannot fit even on the empty device, or nothing of ours is there to wait for.
Admission admission(std::size_t estimate, const DeviceLoad& load);

// The device a new trainer goes to: the fewest active trainers, then the most free memory,
// then the lowest index (a stable round-robin when all are alike).
int least_loaded_device(const std::vector<DeviceLoad>& loads);

std::string format_bytes(std::size_t bytes);

}  // namespace eegsweep::cuda
