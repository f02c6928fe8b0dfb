#pragma once
// A plain double-precision reference of the whole model — stacked GRU (DESIGN.md § The model),
// the last/flatten/mean dense head, mean softmax cross-entropy — and its exact gradient by
// backpropagation through time, in the flat parameter layout of engine/model/weights.h.
// Deliberately simple loops, one sample at a time, no library: it is the yardstick the fast
// backends (oneDNN, cuDNN) are checked against, and is itself checked by finite differences.
// Header-only so that tests/cpu and tests/cuda can both include it.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "engine/model/model_config.h"
#include "engine/model/weights.h"

namespace eegsweep {
namespace reference {

struct GruResult {
  double loss = 0;               // mean cross-entropy over the batch
  std::vector<double> logits;    // batch × classes
  std::vector<double> gradient;  // d loss / d weights, ParameterLayout(config).total (or empty)
};

namespace detail {

inline double sigmoid(double a) { return 1.0 / (1.0 + std::exp(-a)); }

// One layer's forward pass over one sample, keeping what the backward pass needs.
struct LayerTrace {
  std::vector<double> h;   // (T + 1) × H, h[0] = 0
  std::vector<double> r, z, n, hn;  // T × H each; hn = R_n h + bR_n
};

inline LayerTrace layer_forward(const std::vector<double>& w, const GruLayerOffsets& off, int hidden,
                                int steps, const std::vector<double>& x) {
  const int in = off.input_size, H = hidden;
  LayerTrace tr;
  tr.h.assign(static_cast<std::size_t>(steps + 1) * H, 0.0);
  tr.r.assign(static_cast<std::size_t>(steps) * H, 0.0);
  tr.z = tr.r;
  tr.n = tr.r;
  tr.hn = tr.r;
  auto W = [&](int gate, int o, int i) { return w[off.w + (static_cast<std::size_t>(gate) * H + o) * in + i]; };
  auto R = [&](int gate, int o, int j) { return w[off.r + (static_cast<std::size_t>(gate) * H + o) * H + j]; };
  for (int t = 0; t < steps; ++t) {
    const double* xt = &x[static_cast<std::size_t>(t) * in];
    const double* hp = &tr.h[static_cast<std::size_t>(t) * H];
    double* ht = &tr.h[static_cast<std::size_t>(t + 1) * H];
    for (int o = 0; o < H; ++o) {
      double a[3], b[3];
      for (int g = 0; g < 3; ++g) {
        a[g] = w[off.b_w + static_cast<std::size_t>(g) * H + o];
        b[g] = w[off.b_r + static_cast<std::size_t>(g) * H + o];
        for (int i = 0; i < in; ++i) a[g] += W(g, o, i) * xt[i];
        for (int j = 0; j < H; ++j) b[g] += R(g, o, j) * hp[j];
      }
      const double r = sigmoid(a[gate_r] + b[gate_r]);
      const double z = sigmoid(a[gate_z] + b[gate_z]);
      const double n = std::tanh(a[gate_n] + r * b[gate_n]);
      const std::size_t k = static_cast<std::size_t>(t) * H + o;
      tr.r[k] = r;
      tr.z[k] = z;
      tr.n[k] = n;
      tr.hn[k] = b[gate_n];
      ht[o] = (1 - z) * n + z * hp[o];
    }
  }
  return tr;
}

// Backward through one layer: dh_out (T × H, gradient on each step's output) → gradient on the
// layer's input (T × in), weight gradients accumulated into `grad`.
inline std::vector<double> layer_backward(const std::vector<double>& w, const GruLayerOffsets& off,
                                          int hidden, int steps, const std::vector<double>& x,
                                          const LayerTrace& tr, const std::vector<double>& dh_out,
                                          std::vector<double>& grad) {
  const int in = off.input_size, H = hidden;
  std::vector<double> dx(static_cast<std::size_t>(steps) * in, 0.0);
  std::vector<double> dh_next(H, 0.0), dh_prev(H), da[3];
  for (auto& v : da) v.assign(H, 0.0);
  std::vector<double> dhn(H);
  for (int t = steps - 1; t >= 0; --t) {
    const double* xt = &x[static_cast<std::size_t>(t) * in];
    const double* hp = &tr.h[static_cast<std::size_t>(t) * H];
    for (int o = 0; o < H; ++o) {
      const std::size_t k = static_cast<std::size_t>(t) * H + o;
      const double dh = dh_out[k] + dh_next[o];
      const double r = tr.r[k], z = tr.z[k], n = tr.n[k];
      const double dn_pre = dh * (1 - z) * (1 - n * n);
      const double dz_pre = dh * (hp[o] - n) * z * (1 - z);
      const double dr_pre = dn_pre * tr.hn[k] * r * (1 - r);
      da[gate_r][o] = dr_pre;
      da[gate_z][o] = dz_pre;
      da[gate_n][o] = dn_pre;
      dhn[o] = dn_pre * r;
      dh_prev[o] = dh * z;
    }
    for (int g = 0; g < 3; ++g) {
      const std::vector<double>& dr = g == gate_n ? dhn : da[g];  // what multiplies R_g h
      for (int o = 0; o < H; ++o) {
        grad[off.b_w + static_cast<std::size_t>(g) * H + o] += da[g][o];
        grad[off.b_r + static_cast<std::size_t>(g) * H + o] += dr[o];
        const std::size_t wrow = off.w + (static_cast<std::size_t>(g) * H + o) * in;
        const std::size_t rrow = off.r + (static_cast<std::size_t>(g) * H + o) * H;
        for (int i = 0; i < in; ++i) {
          grad[wrow + i] += da[g][o] * xt[i];
          dx[static_cast<std::size_t>(t) * in + i] += da[g][o] * w[wrow + i];
        }
        for (int j = 0; j < H; ++j) {
          grad[rrow + j] += dr[o] * hp[j];
          dh_prev[j] += dr[o] * w[rrow + j];
        }
      }
    }
    dh_next = dh_prev;
  }
  return dx;
}

}  // namespace detail

// inputs: batch × T × I (sample-major, each sample step-major as in the dataset's rows, already
// standardized); labels: one class per sample. head_scale (optional, batch × D) multiplies the
// head's input element-wise — a dropout mask with its 1/(1 − rate) scaling.
inline GruResult gru_loss_and_gradient(const ModelConfig& config, const std::vector<double>& w,
                                       const std::vector<double>& inputs,
                                       const std::vector<int>& labels, bool want_gradient = true,
                                       const std::vector<double>* head_scale = nullptr) {
  const ParameterLayout layout(config);
  if (w.size() != layout.total) throw std::invalid_argument("reference: weight count mismatch");
  const int T = config.timesteps, H = config.hidden_size, C = config.num_classes;
  const int D = layout.head_inputs;
  const int batch = static_cast<int>(labels.size());
  const std::size_t sample_inputs = static_cast<std::size_t>(T) * config.input_size;
  if (inputs.size() != sample_inputs * batch) throw std::invalid_argument("reference: input size mismatch");

  GruResult result;
  result.logits.assign(static_cast<std::size_t>(batch) * C, 0.0);
  if (want_gradient) result.gradient.assign(layout.total, 0.0);

  for (int b = 0; b < batch; ++b) {
    // Forward through the stack.
    std::vector<std::vector<double>> layer_in(layout.layers.size());
    std::vector<detail::LayerTrace> traces;
    layer_in[0].assign(inputs.begin() + static_cast<std::ptrdiff_t>(sample_inputs * b),
                       inputs.begin() + static_cast<std::ptrdiff_t>(sample_inputs * (b + 1)));
    for (std::size_t l = 0; l < layout.layers.size(); ++l) {
      traces.push_back(detail::layer_forward(w, layout.layers[l], H, T, layer_in[l]));
      if (l + 1 < layout.layers.size()) {
        layer_in[l + 1].assign(traces[l].h.begin() + H, traces[l].h.end());
      }
    }
    const std::vector<double>& h = traces.back().h;  // (T + 1) × H; output of step t is h[t + 1]

    // Head input.
    std::vector<double> a(D, 0.0);
    if (config.head == Head::flatten) {
      for (int j = 0; j < D; ++j) a[j] = h[H + j];
    } else if (config.head == Head::last) {
      for (int j = 0; j < H; ++j) a[j] = h[static_cast<std::size_t>(T) * H + j];
    } else {
      for (int t = 0; t < T; ++t) {
        for (int j = 0; j < H; ++j) a[j] += h[static_cast<std::size_t>(t + 1) * H + j] / T;
      }
    }
    if (head_scale) {
      for (int j = 0; j < D; ++j) a[j] *= (*head_scale)[static_cast<std::size_t>(b) * D + j];
    }

    // Dense layer and softmax cross-entropy.
    double* logits = &result.logits[static_cast<std::size_t>(b) * C];
    double max_logit = -INFINITY;
    for (int c = 0; c < C; ++c) {
      logits[c] = w[layout.head_b + c];
      for (int j = 0; j < D; ++j) logits[c] += w[layout.head_w + static_cast<std::size_t>(c) * D + j] * a[j];
      max_logit = std::max(max_logit, logits[c]);
    }
    double sum = 0;
    for (int c = 0; c < C; ++c) sum += std::exp(logits[c] - max_logit);
    const double log_sum = max_logit + std::log(sum);
    result.loss += (log_sum - logits[labels[b]]) / batch;
    if (!want_gradient) continue;

    // Backward: head, then the stack from the top.
    std::vector<double> da(D, 0.0);
    for (int c = 0; c < C; ++c) {
      const double dlogit = (std::exp(logits[c] - log_sum) - (c == labels[b] ? 1.0 : 0.0)) / batch;
      result.gradient[layout.head_b + c] += dlogit;
      for (int j = 0; j < D; ++j) {
        result.gradient[layout.head_w + static_cast<std::size_t>(c) * D + j] += dlogit * a[j];
        da[j] += dlogit * w[layout.head_w + static_cast<std::size_t>(c) * D + j];
      }
    }
    if (head_scale) {
      for (int j = 0; j < D; ++j) da[j] *= (*head_scale)[static_cast<std::size_t>(b) * D + j];
    }
    std::vector<double> dh(static_cast<std::size_t>(T) * H, 0.0);
    if (config.head == Head::flatten) {
      dh = da;
    } else if (config.head == Head::last) {
      for (int j = 0; j < H; ++j) dh[static_cast<std::size_t>(T - 1) * H + j] = da[j];
    } else {
      for (int t = 0; t < T; ++t) {
        for (int j = 0; j < H; ++j) dh[static_cast<std::size_t>(t) * H + j] = da[j] / T;
      }
    }
    for (std::size_t l = layout.layers.size(); l-- > 0;) {
      dh = detail::layer_backward(w, layout.layers[l], H, T, layer_in[l], traces[l], dh,
                                  result.gradient);
    }
  }
  return result;
}

}  // namespace reference
}  // namespace eegsweep
