#pragma once
// Moves one GRU layer between our flat parameter layout (weights.h: gates r, z, n, gate-major
// H × I matrices, six bias vectors) and oneDNN's lbr_gru layout: gates u(=z), r, o(=n), weights
// in `ldigo` (input-major: [i][gate][o]) and a 4-row bias [b_Wz + b_Rz, b_Wr + b_Rr, b_Wn, b_Rn].

#include "engine/model/weights.h"

namespace eegsweep {

// Our gate for oneDNN's gate index 0, 1, 2.
constexpr int dnnl_gate_to_ours[3] = {gate_z, gate_r, gate_n};

struct DnnlGruLayerView {
  float* weights_layer;  // I × 3 × H (ldigo with l = d = 1)
  float* weights_iter;   // H × 3 × H
  float* bias;           // 4 × H
};

// params (flat, weights.h layout) → oneDNN buffers.
void pack_gru_layer(const float* params, const GruLayerOffsets& layer, int hidden,
                    const DnnlGruLayerView& out);

// oneDNN gradients → `gradient` (flat layout), overwriting this layer's entries. The gradient
// of a merged bias row goes to both biases it merges.
void unpack_gru_layer_gradient(const DnnlGruLayerView& diff, const GruLayerOffsets& layer,
                               int hidden, float* gradient);

}  // namespace eegsweep
