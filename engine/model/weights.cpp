// Parameter layout and the Keras-style initialiser. Every draw comes from a CounterRng keyed by
// (seed, layer, tensor), so a tensor's values do not depend on the shapes of the others and the
// same seed gives the same bits on every machine (and therefore on every backend).

#include "engine/model/weights.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "engine/data/hash.h"
#include "engine/data/random.h"
#include "engine/data/seed_streams.h"

namespace eegsweep {
namespace {

enum InitTensor : std::uint64_t { tensor_kernel = 0, tensor_recurrent = 1, tensor_head = 2 };

// Keras orders the GRU's column blocks [z | r | h]; our gate index is r, z, n.
int keras_block(int gate) { return gate == gate_r ? 1 : gate == gate_z ? 0 : 2; }

// Keras GlorotUniform over a (rows, cols) kernel, drawn in Keras's row-major order.
std::vector<double> glorot_uniform(int rows, int cols, CounterRng& rng) {
  const double limit = std::sqrt(6.0 / (static_cast<double>(rows) + cols));
  std::vector<double> k(static_cast<std::size_t>(rows) * cols);
  for (double& v : k) v = rng.uniform(-limit, limit);
  return k;
}

// Keras Orthogonal for an (h, 3h) matrix: QR of a (3h, h) Gaussian, Q made unique by a positive
// diagonal of R, then transposed, so the (h, 3h) result has orthonormal rows. Gram–Schmidt
// applied twice ("twice is enough", Giraud et al. 2005) produces exactly that positive-diagonal Q
// to double precision, without a LAPACK dependency.
std::vector<double> orthogonal_rows(int h, CounterRng& rng) {
  const int n = 3 * h;
  // Column j of the Gaussian A (n × h), stored contiguously.
  std::vector<double> q(static_cast<std::size_t>(h) * n);
  for (int row = 0; row < n; ++row) {
    for (int col = 0; col < h; ++col) q[static_cast<std::size_t>(col) * n + row] = rng.normal();
  }
  for (int j = 0; j < h; ++j) {
    double* qj = &q[static_cast<std::size_t>(j) * n];
    for (int pass = 0; pass < 2; ++pass) {
      for (int k = 0; k < j; ++k) {
        const double* qk = &q[static_cast<std::size_t>(k) * n];
        double dot = 0;
        for (int i = 0; i < n; ++i) dot += qk[i] * qj[i];
        for (int i = 0; i < n; ++i) qj[i] -= dot * qk[i];
      }
    }
    double norm = 0;
    for (int i = 0; i < n; ++i) norm += qj[i] * qj[i];
    norm = std::sqrt(norm);
    if (!(norm > 0)) throw std::runtime_error("orthogonal init: degenerate Gaussian matrix");
    for (int i = 0; i < n; ++i) qj[i] /= norm;
  }
  // q holds Q's columns contiguously: as an (h, n) row-major matrix that is exactly Q^T.
  return q;
}

}  // namespace

ParameterLayout::ParameterLayout(const ModelConfig& config)
    : hidden_size(config.hidden_size),
      head_inputs(config.head_inputs()),
      num_classes(config.num_classes) {
  if (config.input_size < 1 || config.timesteps < 1 || config.hidden_size < 1 ||
      config.num_layers < 1 || config.num_classes < 2) {
    throw std::invalid_argument(
        "invalid model shape: input_size " + std::to_string(config.input_size) + ", timesteps " +
        std::to_string(config.timesteps) + ", hidden_size " + std::to_string(config.hidden_size) +
        ", num_layers " + std::to_string(config.num_layers) + ", num_classes " +
        std::to_string(config.num_classes));
  }
  const std::size_t h = static_cast<std::size_t>(hidden_size);
  std::size_t offset = 0;
  for (int l = 0; l < config.num_layers; ++l) {
    GruLayerOffsets layer;
    layer.input_size = l == 0 ? config.input_size : config.hidden_size;
    layer.w = offset;
    offset += 3 * h * static_cast<std::size_t>(layer.input_size);
    layer.r = offset;
    offset += 3 * h * h;
    layer.b_w = offset;
    offset += 3 * h;
    layer.b_r = offset;
    offset += 3 * h;
    layers.push_back(layer);
  }
  head_w = offset;
  offset += static_cast<std::size_t>(num_classes) * static_cast<std::size_t>(head_inputs);
  head_b = offset;
  offset += static_cast<std::size_t>(num_classes);
  total = offset;
}

bool ParameterLayout::is_matrix(std::size_t index) const {
  for (const GruLayerOffsets& layer : layers) {
    if (index >= layer.w && index < layer.b_w) return true;  // W then R are contiguous
  }
  return index >= head_w && index < head_b;
}

ModelWeights init_weights(const ModelConfig& config, std::uint64_t seed) {
  const ParameterLayout layout(config);
  ModelWeights weights;
  weights.values.assign(layout.total, 0.0f);  // biases stay zero
  float* w = weights.values.data();
  const int h = config.hidden_size;

  for (std::size_t l = 0; l < layout.layers.size(); ++l) {
    const GruLayerOffsets& layer = layout.layers[l];
    const int in = layer.input_size;

    // Keras kernel (in, 3h): column block b, unit o → our W[gate][o][i].
    CounterRng kernel_rng(derive_seed(seed, streams::init, l, tensor_kernel));
    const std::vector<double> kernel = glorot_uniform(in, 3 * h, kernel_rng);
    for (int gate = 0; gate < 3; ++gate) {
      const int block = keras_block(gate);
      for (int o = 0; o < h; ++o) {
        for (int i = 0; i < in; ++i) {
          w[layer.w + (static_cast<std::size_t>(gate) * h + o) * in + i] =
              static_cast<float>(kernel[static_cast<std::size_t>(i) * 3 * h + block * h + o]);
        }
      }
    }

    // Keras recurrent kernel (h, 3h) with orthonormal rows → our R[gate][o][j].
    CounterRng recurrent_rng(derive_seed(seed, streams::init, l, tensor_recurrent));
    const std::vector<double> recurrent = orthogonal_rows(h, recurrent_rng);
    for (int gate = 0; gate < 3; ++gate) {
      const int block = keras_block(gate);
      for (int o = 0; o < h; ++o) {
        for (int j = 0; j < h; ++j) {
          w[layer.r + (static_cast<std::size_t>(gate) * h + o) * h + j] =
              static_cast<float>(recurrent[static_cast<std::size_t>(j) * 3 * h + block * h + o]);
        }
      }
    }
  }

  // Keras Dense kernel (D, C) → our Wd (C × D).
  const int d = layout.head_inputs, c = layout.num_classes;
  CounterRng head_rng(derive_seed(seed, streams::init, 0, tensor_head));
  const std::vector<double> head = glorot_uniform(d, c, head_rng);
  for (int k = 0; k < c; ++k) {
    for (int j = 0; j < d; ++j) {
      w[layout.head_w + static_cast<std::size_t>(k) * d + j] =
          static_cast<float>(head[static_cast<std::size_t>(j) * c + k]);
    }
  }
  return weights;
}

std::string weights_hash(const ModelWeights& weights) {
  // Over the bits of each float, prefixed by the count, so that equal hashes mean equal bits.
  Fnv1a h;
  h.u64(weights.values.size());
  for (float v : weights.values) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    h.u32(bits);
  }
  return hex16(h.value());
}

}  // namespace eegsweep
