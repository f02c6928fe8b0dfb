#pragma once
// The dense head on top of the GRU stack, on oneDNN's time-major output y (T × B × H, `tnc`):
// head input a (B × D) = last step / every step flattened (j = t·H + h) / mean over steps,
// dropout on a, logits = a·Wdᵀ + bd, mean softmax cross-entropy, and the backward pass.
// The flatten head never materialises a: it reads y in place, step by step.

#include <cstdint>

#include "engine/model/model_config.h"

namespace eegsweep {

struct HeadShape {
  Head head = Head::last;
  int timesteps = 0, hidden = 0, classes = 0, batch = 0;
  int inputs() const { return head == Head::flatten ? timesteps * hidden : hidden; }
};

// Dropout multipliers (0 or 1/(1 − rate)) for the head input, laid out like that input is read:
// T × B × H for flatten, B × H otherwise. Element j of sample s uses dropout_keep(key, s·D + j).
void head_dropout_scale(const HeadShape& shape, std::uint64_t key, float rate, float* scale);

// logits (B × C). `scale` may be null (no dropout). `a` (B × H) receives the head input of the
// last/mean heads, after dropout (unused by flatten).
void head_forward(const HeadShape& shape, const float* y, const float* scale, const float* wd,
                  const float* bd, float* a, float* logits);

// Mean cross-entropy over the batch (accumulated in double). When dlogits is not null it
// receives (softmax − onehot) / B. Returns NaN/Inf as is, for the caller to report.
double softmax_cross_entropy(const float* logits, const int* labels, int batch, int classes,
                             float* dlogits);

// Gradients of Wd and bd (overwritten) and dy (T × B × H, overwritten: the gradient on every
// step's output of the top GRU layer).
void head_backward(const HeadShape& shape, const float* y, const float* scale, const float* wd,
                   const float* a, const float* dlogits, float* grad_wd, float* grad_bd,
                   float* dy);

}  // namespace eegsweep
