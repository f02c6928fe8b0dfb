#pragma once
// Launchers of the backend's own kernels (kernels.cu). Every launcher runs on the given stream,
// checks its launch, and never synchronises. Shapes: B = padded batch (every cuDNN call sees the
// same batch size; samples b ≥ n are padding with label −1 and contribute nothing), T timesteps,
// I inputs per step, H hidden, D head inputs, C classes.

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "engine/model/model_config.h"

namespace eegsweep::cuda {

// x[b, f] = (data[rows[b], f] − mean[f]) · inv_std[f] for b < n, else 0 (f = t·I + i, so x is
// [B, T, I] batch-major as cuDNN's BATCH_MAJOR_UNPACKED layout wants). labels[b] = y[rows[b]]
// for b < n, else −1.
void launch_gather_batch(const float* data, const int* data_labels, std::size_t features,
                         const std::uint32_t* rows, int n, int batch, const float* mean,
                         const float* inv_std, float* x, int* labels, cudaStream_t stream);

// The head's input a[B, D] from cuDNN's output y[B, T, H] (last step, every step, or the mean
// over steps), then dropout when rate > 0 (mask from dropout_keep(key, b·D + j, rate)).
void launch_head_input(const float* y, int batch, int timesteps, int hidden, Head head,
                       std::uint64_t dropout_key, float dropout_rate, float* a,
                       cudaStream_t stream);

// Per sample: logits z = raw[b] + bias; loss_b = logsumexp(z) − z[label]; prediction = argmax
// (first maximum); grad[b, c] = (softmax(z)_c − [c = label]) · grad_scale. Padding rows
// (label < 0) get loss 0, prediction −1 and gradient 0. grad may be null (evaluation).
void launch_softmax_cross_entropy(const float* raw_logits, const float* bias, const int* labels,
                                  int batch, int classes, float grad_scale, float* losses,
                                  int* predictions, float* grad, cudaStream_t stream);

// *sum += Σ_b losses[b], in double, in a fixed order (one block): the epoch loss is identical
// run to run, unlike with atomics.
void launch_accumulate_loss(const float* losses, int batch, double* sum, cudaStream_t stream);

// counts[label · C + prediction] += 1 for every non-padding sample.
void launch_confusion(const int* labels, const int* predictions, int batch, int classes,
                      unsigned long long* counts, cudaStream_t stream);

// bias_grad[c] += Σ_b grad[b, c] (fixed order).
void launch_bias_gradient(const float* grad, int batch, int classes, float* bias_grad,
                          cudaStream_t stream);

// dy[B, T, H] from the gradient of the head's input da[B, D]: dropout's mask applied again,
// then spread back over the steps (last: only t = T−1; mean: every step, divided by T;
// flatten: element for element). da may equal dy for the flatten head (in place).
void launch_head_backward(const float* da, int batch, int timesteps, int hidden, Head head,
                          std::uint64_t dropout_key, float dropout_rate, float* dy,
                          cudaStream_t stream);

// weight_space[map[i]] = params[i] for i < count (our layout → cuDNN's).
void launch_scatter_to_weight_space(const float* params, const std::int64_t* map,
                                    std::size_t count, float* weight_space, cudaStream_t stream);

// grad[i] = dweight_space[map[i]] for i < count (cuDNN's layout → ours).
void launch_gather_from_weight_space(const float* dweight_space, const std::int64_t* map,
                                     std::size_t count, float* grad, cudaStream_t stream);

// One Adam step (training_rules.h adam_update) over all `count` parameters; decay applies where
// decay_mask[i] is 1. The updated GRU weights (i < mapped) are written to cuDNN's weight space
// in the same pass.
void launch_adam(float* params, float* m, float* v, const float* grad,
                 const std::uint8_t* decay_mask, std::size_t count, float alpha, float decay,
                 const std::int64_t* map, std::size_t mapped, float* weight_space,
                 cudaStream_t stream);

// Fills n int32 with value (Thrust).
void fill_int(std::int32_t* data, std::size_t n, std::int32_t value, cudaStream_t stream);

}  // namespace eegsweep::cuda
