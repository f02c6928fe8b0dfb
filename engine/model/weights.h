#pragma once
// All trainable parameters in one flat float vector with a fixed layout, shared by every
// backend (so CPU and GPU start from identical weights and can be compared element by element).
//
// Layout, for each GRU layer l (input width I_l = input_size for l = 0, else H), gates in
// cuDNN/PyTorch order r, z, n:
//   W[l]   3 × H × I_l   (gate-major; each gate's matrix row-major H × I_l)
//   R[l]   3 × H × H
//   bW[l]  3 × H
//   bR[l]  3 × H
// then the dense head:
//   Wd     C × D         (row-major, D = ModelConfig::head_inputs())
//   bd     C
// The cell (DESIGN.md § The model):
//   r = σ(W_r x + bW_r + R_r h + bR_r), z = σ(W_z x + bW_z + R_z h + bR_z)
//   n = tanh(W_n x + bW_n + r ⊙ (R_n h + bR_n)), h' = (1 − z) ⊙ n + z ⊙ h

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/model_config.h"

namespace eegsweep {

enum Gate { gate_r = 0, gate_z = 1, gate_n = 2 };

struct GruLayerOffsets {
  int input_size = 0;
  std::size_t w = 0, r = 0, b_w = 0, b_r = 0;  // offsets into the flat vector
};

struct ParameterLayout {
  int hidden_size = 0;
  int head_inputs = 0;
  int num_classes = 0;
  std::vector<GruLayerOffsets> layers;
  std::size_t head_w = 0, head_b = 0;
  std::size_t total = 0;

  explicit ParameterLayout(const ModelConfig& config);
  // True for the offsets of weight matrices (W, R, Wd), false for biases: weight decay only
  // applies to matrices.
  bool is_matrix(std::size_t index) const;
};

struct ModelWeights {
  std::vector<float> values;  // ParameterLayout(config).total floats
};

// Keras initialisation from a seed: kernels Glorot-uniform (fan-in I, fan-out 3H, as Keras sees
// the (I, 3H) kernel), recurrent matrices orthogonal (the (H, 3H) block has orthonormal rows),
// biases zero, dense head Glorot-uniform on (D, C). Same seed → same bits on every machine.
ModelWeights init_weights(const ModelConfig& config, std::uint64_t seed);

// SHA-256-free but stable 64-bit content hash, hex-encoded; used to compare reproductions.
std::string weights_hash(const ModelWeights& weights);

}  // namespace eegsweep
