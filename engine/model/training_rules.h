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

EEGSWEEP_HOST_DEVICE inline void adam_update(float& w, float& m, float& v, float g, float alpha,
                                             float decay) {
  g += decay * w;
  m += (g - m) * (1.0f - AdamConstants::beta1);
  v += (g * g - v) * (1.0f - AdamConstants::beta2);
  w -= alpha * m / (sqrtf(v) + AdamConstants::epsilon);
}

}  // namespace eegsweep
