#pragma once
// The rules every backend follows so that results are identical across backends, thread counts
// and scheduling: minibatch order, dropout masks, the input gather, and Adam (Keras form).

#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/data/random.h"
#include "engine/data/seed_streams.h"
#include "engine/data/dataset.h"
#include "engine/model/model_config.h"

namespace eegsweep {

// The training rows of `epoch`, shuffled by a stream derived from (seed, epoch).
RowList epoch_order(const RowList& train_rows, std::uint64_t seed, int epoch);

// Dropout on the head's input, training only: element j (of D = head_inputs) of sample s
// (position within its minibatch) is kept iff uniform_at(key, s·D + j) >= rate, and kept values
// are scaled by 1 / (1 − rate). key = dropout_key(seed, epoch, batch).
EEGSWEEP_HOST_DEVICE inline std::uint64_t dropout_key(std::uint64_t seed, int epoch, int batch) {
  return derive_seed(seed, streams::dropout, static_cast<std::uint64_t>(epoch), static_cast<std::uint64_t>(batch));
}
EEGSWEEP_HOST_DEVICE inline bool dropout_keep(std::uint64_t key, std::uint64_t index, float rate) {
  return uniform_at(key, index) >= rate;
}

// Adam in the Keras form: t counts steps from 1,
//   alpha = lr·sqrt(1−β2^t)/(1−β1^t); m += (g−m)(1−β1); v += (g²−v)(1−β2);
//   w −= alpha·m/(sqrt(v)+ε), ε = 1e-7.
// Weight decay (L2) is added to the gradient of matrices before the update.
struct AdamConstants {
  static constexpr float beta1 = 0.9f;
  static constexpr float beta2 = 0.999f;
  static constexpr float epsilon = 1e-7f;
};

// alpha for step t (t ≥ 1), computed in double then rounded once, identically on every backend.
inline float adam_alpha(double learning_rate, long t) {
  const double b1 = AdamConstants::beta1, b2 = AdamConstants::beta2;
  return static_cast<float>(learning_rate * std::sqrt(1.0 - std::pow(b2, t)) / (1.0 - std::pow(b1, t)));
}

// Each operation of adam_update rounds once to float, on every backend. On the GPU the compiler
// would otherwise fuse a multiply and an add into one fma (one rounding instead of two), and the
// weights would differ from the CPU's in the last bit from the first step; the _rn intrinsics
// are never fused. The host is compiled without contraction (ISO C++ mode: -ffp-contract=off).
namespace exact {
#ifdef __CUDA_ARCH__
__device__ inline float add(float a, float b) { return __fadd_rn(a, b); }
__device__ inline float sub(float a, float b) { return __fsub_rn(a, b); }
__device__ inline float mul(float a, float b) { return __fmul_rn(a, b); }
__device__ inline float div(float a, float b) { return __fdiv_rn(a, b); }
__device__ inline float sqrt(float a) { return __fsqrt_rn(a); }
#else
inline float add(float a, float b) { return a + b; }
inline float sub(float a, float b) { return a - b; }
inline float mul(float a, float b) { return a * b; }
inline float div(float a, float b) { return a / b; }
inline float sqrt(float a) { return std::sqrt(a); }
#endif
}  // namespace exact

EEGSWEEP_HOST_DEVICE inline void adam_update(float& w, float& m, float& v, float g, float alpha,
                                             float decay) {
  constexpr float one_minus_beta1 = 1.0f - AdamConstants::beta1;
  constexpr float one_minus_beta2 = 1.0f - AdamConstants::beta2;
  g = exact::add(g, exact::mul(decay, w));                              // g += decay·w
  m = exact::add(m, exact::mul(exact::sub(g, m), one_minus_beta1));     // m += (g − m)(1 − β1)
  v = exact::add(v, exact::mul(exact::sub(exact::mul(g, g), v), one_minus_beta2));
  const float step = exact::div(exact::mul(alpha, m),                   // α·m / (√v + ε)
                                exact::add(exact::sqrt(v), AdamConstants::epsilon));
  w = exact::sub(w, step);
}

}  // namespace eegsweep
