#include "engine/cpu/gru_layout.h"

#include <cstddef>

namespace eegsweep {
namespace {

// ldigo element [i][g][o] ↔ our matrix element [gate(g)][o][i] of a gate-major (3H × in) block.
void ours_to_ldigo(const float* ours, int in, int hidden, float* ldigo) {
  const std::size_t h = static_cast<std::size_t>(hidden);
  for (int g = 0; g < 3; ++g) {
    const float* gate_block = ours + static_cast<std::size_t>(dnnl_gate_to_ours[g]) * h * in;
    for (std::size_t o = 0; o < h; ++o) {
      const float* row = gate_block + o * in;
      for (int i = 0; i < in; ++i) ldigo[(static_cast<std::size_t>(i) * 3 + g) * h + o] = row[i];
    }
  }
}

void ldigo_to_ours(const float* ldigo, int in, int hidden, float* ours) {
  const std::size_t h = static_cast<std::size_t>(hidden);
  for (int g = 0; g < 3; ++g) {
    float* gate_block = ours + static_cast<std::size_t>(dnnl_gate_to_ours[g]) * h * in;
    for (std::size_t o = 0; o < h; ++o) {
      float* row = gate_block + o * in;
      for (int i = 0; i < in; ++i) row[i] = ldigo[(static_cast<std::size_t>(i) * 3 + g) * h + o];
    }
  }
}

}  // namespace

void pack_gru_layer(const float* params, const GruLayerOffsets& layer, int hidden,
                    const DnnlGruLayerView& out) {
  ours_to_ldigo(params + layer.w, layer.input_size, hidden, out.weights_layer);
  ours_to_ldigo(params + layer.r, hidden, hidden, out.weights_iter);
  const float* b_w = params + layer.b_w;
  const float* b_r = params + layer.b_r;
  const std::size_t h = static_cast<std::size_t>(hidden);
  for (std::size_t o = 0; o < h; ++o) {
    out.bias[0 * h + o] = b_w[gate_z * h + o] + b_r[gate_z * h + o];
    out.bias[1 * h + o] = b_w[gate_r * h + o] + b_r[gate_r * h + o];
    out.bias[2 * h + o] = b_w[gate_n * h + o];
    out.bias[3 * h + o] = b_r[gate_n * h + o];
  }
}

void unpack_gru_layer_gradient(const DnnlGruLayerView& diff, const GruLayerOffsets& layer,
                               int hidden, float* gradient) {
  ldigo_to_ours(diff.weights_layer, layer.input_size, hidden, gradient + layer.w);
  ldigo_to_ours(diff.weights_iter, hidden, hidden, gradient + layer.r);
  float* g_w = gradient + layer.b_w;
  float* g_r = gradient + layer.b_r;
  const std::size_t h = static_cast<std::size_t>(hidden);
  for (std::size_t o = 0; o < h; ++o) {
    g_w[gate_z * h + o] = g_r[gate_z * h + o] = diff.bias[0 * h + o];
    g_w[gate_r * h + o] = g_r[gate_r * h + o] = diff.bias[1 * h + o];
    g_w[gate_n * h + o] = diff.bias[2 * h + o];
    g_r[gate_n * h + o] = diff.bias[3 * h + o];
  }
}

}  // namespace eegsweep
