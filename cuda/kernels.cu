/*
 * The backend's own kernels: everything of a training step that is not cuDNN's GRU or a cuBLAS
 * GEMM.
 *
 * Memory layout (all row-major, float unless said otherwise):
 *   data   [rows, F]      the dataset, resident on the device for the whole sweep
 *   x      [B, T, I]      one minibatch, standardized (F = T·I, feature f = t·I + i)
 *   y, dy  [B, T, H]      cuDNN's output of the top layer and its gradient
 *   a, da  [B, D]         the head's input (D = H for last/mean, T·H for flatten) and gradient
 *   logits [B, C]         a·Wdᵀ (cuBLAS) + bd (added here)
 *   params                our flat layout (engine/model/weights.h); `map` sends its GRU part
 *                         to cuDNN's weight space
 * B is the trainer's fixed batch size: a short batch (the last of an epoch, an evaluation
 * chunk) is padded with samples whose label is −1; they produce loss 0 and gradient 0, so they
 * change nothing while every cuDNN call sees one shape.
 *
 * Maths:
 *   loss_b = logsumexp(z_b) − z_b[y_b],  ∂loss/∂z_b = softmax(z_b) − onehot(y_b), scaled by 1/n
 *   (the mean over the n real samples of a batch).
 *   Dropout keeps a[b, j] iff dropout_keep(key, b·D + j, rate) and scales it by 1/(1 − rate);
 *   the backward pass recomputes the same mask from the key instead of storing it.
 *   Adam is training_rules.h's adam_update, the very function the CPU backend calls.
 */
#include "cuda/kernels.h"

#include <thrust/device_ptr.h>
#include <thrust/execution_policy.h>
#include <thrust/fill.h>

#include <algorithm>

#include "cuda/check.h"
#include "engine/model/training_rules.h"

namespace eegsweep::cuda {
namespace {

constexpr int block_size = 256;

// Grid-stride loops: enough blocks to fill the GPU, never more than the work needs.
unsigned grid_for(std::size_t n) {
  const std::size_t blocks = (n + block_size - 1) / block_size;
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(blocks, 8192)));
}

__device__ inline float dropout_scale(float rate) { return 1.0f / (1.0f - rate); }

// ---- kernels -------------------------------------------------------------------------------

__global__ void gather_batch_kernel(const float* __restrict__ data,
                                    const int* __restrict__ data_labels, std::size_t features,
                                    const std::uint32_t* __restrict__ rows, int n, int batch,
                                    const float* __restrict__ mean,
                                    const float* __restrict__ inv_std, float* __restrict__ x,
                                    int* __restrict__ labels) {
  const std::size_t total = static_cast<std::size_t>(batch) * features;
  for (std::size_t idx = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
       idx < total; idx += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const std::size_t b = idx / features;
    const std::size_t f = idx - b * features;
    if (b < static_cast<std::size_t>(n)) {
      const std::size_t row = rows[b];
      x[idx] = (data[row * features + f] - mean[f]) * inv_std[f];
      if (f == 0) labels[b] = data_labels[row];
    } else {
      x[idx] = 0.0f;
      if (f == 0) labels[b] = -1;
    }
  }
}

__global__ void head_input_kernel(const float* __restrict__ y, int batch, int timesteps,
                                  int hidden, Head head, std::uint64_t key, float rate,
                                  float* __restrict__ a) {
  const std::size_t d_width = head == Head::flatten
                                  ? static_cast<std::size_t>(timesteps) * hidden
                                  : static_cast<std::size_t>(hidden);
  const std::size_t total = static_cast<std::size_t>(batch) * d_width;
  const std::size_t step = static_cast<std::size_t>(timesteps) * hidden;
  for (std::size_t idx = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
       idx < total; idx += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const std::size_t b = idx / d_width;
    const std::size_t j = idx - b * d_width;
    const float* yb = y + b * step;
    float value;
    if (head == Head::flatten) {
      value = yb[j];
    } else if (head == Head::last) {
      value = yb[static_cast<std::size_t>(timesteps - 1) * hidden + j];
    } else {
      float sum = 0.0f;
      for (int t = 0; t < timesteps; ++t) sum += yb[static_cast<std::size_t>(t) * hidden + j];
      value = sum / static_cast<float>(timesteps);
    }
    if (rate > 0.0f) {
      value = dropout_keep(key, static_cast<std::uint64_t>(idx), rate) ? value * dropout_scale(rate)
                                                                       : 0.0f;
    }
    a[idx] = value;
  }
}

__global__ void softmax_cross_entropy_kernel(const float* __restrict__ raw,
                                             const float* __restrict__ bias,
                                             const int* __restrict__ labels, int batch,
                                             int classes, float grad_scale,
                                             float* __restrict__ losses,
                                             int* __restrict__ predictions,
                                             float* __restrict__ grad) {
  const int b = blockIdx.x * blockDim.x + threadIdx.x;
  if (b >= batch) return;
  const float* z = raw + static_cast<std::size_t>(b) * classes;
  float* g = grad ? grad + static_cast<std::size_t>(b) * classes : nullptr;
  const int label = labels[b];
  if (label < 0) {
    losses[b] = 0.0f;
    if (predictions) predictions[b] = -1;
    if (g) {
      for (int c = 0; c < classes; ++c) g[c] = 0.0f;
    }
    return;
  }
  float max_z = z[0] + bias[0];
  int arg_max = 0;
  for (int c = 1; c < classes; ++c) {
    const float v = z[c] + bias[c];
    if (v > max_z) {
      max_z = v;
      arg_max = c;
    }
  }
  float sum = 0.0f;
  for (int c = 0; c < classes; ++c) sum += expf(z[c] + bias[c] - max_z);
  const float log_sum = logf(sum);
  losses[b] = log_sum - (z[label] + bias[label] - max_z);
  if (predictions) predictions[b] = arg_max;
  if (g) {
    for (int c = 0; c < classes; ++c) {
      const float p = expf(z[c] + bias[c] - max_z - log_sum);
      g[c] = (p - (c == label ? 1.0f : 0.0f)) * grad_scale;
    }
  }
}

__global__ void accumulate_loss_kernel(const float* __restrict__ losses, int batch,
                                       double* __restrict__ sum) {
  __shared__ double partial[block_size];
  double s = 0.0;
  for (int b = threadIdx.x; b < batch; b += block_size) s += static_cast<double>(losses[b]);
  partial[threadIdx.x] = s;
  __syncthreads();
  for (int width = block_size / 2; width > 0; width /= 2) {
    if (static_cast<int>(threadIdx.x) < width) partial[threadIdx.x] += partial[threadIdx.x + width];
    __syncthreads();
  }
  if (threadIdx.x == 0) *sum += partial[0];
}

__global__ void confusion_kernel(const int* __restrict__ labels,
                                 const int* __restrict__ predictions, int batch, int classes,
                                 unsigned long long* __restrict__ counts) {
  const int b = blockIdx.x * blockDim.x + threadIdx.x;
  if (b >= batch || labels[b] < 0) return;
  // Integer atomics: the order of additions cannot change the counts.
  atomicAdd(counts + static_cast<std::size_t>(labels[b]) * classes + predictions[b], 1ULL);
}

__global__ void bias_gradient_kernel(const float* __restrict__ grad, int batch, int classes,
                                     float* __restrict__ bias_grad) {
  const int c = blockIdx.x * blockDim.x + threadIdx.x;
  if (c >= classes) return;
  float sum = 0.0f;
  for (int b = 0; b < batch; ++b) sum += grad[static_cast<std::size_t>(b) * classes + c];
  bias_grad[c] += sum;
}

__global__ void head_backward_kernel(const float* da, int batch, int timesteps, int hidden,
                                     Head head, std::uint64_t key, float rate, float* dy) {
  // No __restrict__: da and dy are the same buffer for the flatten head.
  const std::size_t step = static_cast<std::size_t>(timesteps) * hidden;
  const std::size_t total = static_cast<std::size_t>(batch) * step;
  const std::size_t d_width = head == Head::flatten ? step : static_cast<std::size_t>(hidden);
  for (std::size_t idx = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
       idx < total; idx += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const std::size_t b = idx / step;
    const std::size_t rest = idx - b * step;
    const std::size_t t = rest / hidden;
    const std::size_t j = rest - t * hidden;
    if (head == Head::last && t != static_cast<std::size_t>(timesteps - 1)) {
      dy[idx] = 0.0f;
      continue;
    }
    const std::size_t d = head == Head::flatten ? rest : j;
    float g = da[b * d_width + d];
    if (rate > 0.0f) {
      g = dropout_keep(key, static_cast<std::uint64_t>(b * d_width + d), rate)
              ? g * dropout_scale(rate)
              : 0.0f;
    }
    if (head == Head::mean) g /= static_cast<float>(timesteps);
    dy[idx] = g;
  }
}

__global__ void scatter_kernel(const float* __restrict__ params, const std::int64_t* __restrict__ map,
                               std::size_t count, float* __restrict__ weight_space) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    weight_space[map[i]] = params[i];
  }
}

__global__ void gather_kernel(const float* __restrict__ dweight_space,
                              const std::int64_t* __restrict__ map, std::size_t count,
                              float* __restrict__ grad) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    grad[i] = dweight_space[map[i]];
  }
}

__global__ void adam_kernel(float* __restrict__ params, float* __restrict__ m,
                            float* __restrict__ v, const float* __restrict__ grad,
                            const std::uint8_t* __restrict__ decay_mask, std::size_t count,
                            float alpha, float decay, const std::int64_t* __restrict__ map,
                            std::size_t mapped, float* __restrict__ weight_space) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    float w = params[i], mi = m[i], vi = v[i];
    adam_update(w, mi, vi, grad[i], alpha, decay_mask[i] ? decay : 0.0f);
    params[i] = w;
    m[i] = mi;
    v[i] = vi;
    if (i < mapped) weight_space[map[i]] = w;
  }
}

}  // namespace

// ---- launchers -----------------------------------------------------------------------------

void launch_gather_batch(const float* data, const int* data_labels, std::size_t features,
                         const std::uint32_t* rows, int n, int batch, const float* mean,
                         const float* inv_std, float* x, int* labels, cudaStream_t stream) {
  const std::size_t total = static_cast<std::size_t>(batch) * features;
  gather_batch_kernel<<<grid_for(total), block_size, 0, stream>>>(data, data_labels, features, rows,
                                                                  n, batch, mean, inv_std, x, labels);
  EEGSWEEP_KERNEL_CHECK("gather_batch_kernel");
}

void launch_head_input(const float* y, int batch, int timesteps, int hidden, Head head,
                       std::uint64_t dropout_key, float dropout_rate, float* a,
                       cudaStream_t stream) {
  const std::size_t d_width = head == Head::flatten
                                  ? static_cast<std::size_t>(timesteps) * hidden
                                  : static_cast<std::size_t>(hidden);
  const std::size_t total = static_cast<std::size_t>(batch) * d_width;
  head_input_kernel<<<grid_for(total), block_size, 0, stream>>>(y, batch, timesteps, hidden, head,
                                                                dropout_key, dropout_rate, a);
  EEGSWEEP_KERNEL_CHECK("head_input_kernel");
}

void launch_softmax_cross_entropy(const float* raw_logits, const float* bias, const int* labels,
                                  int batch, int classes, float grad_scale, float* losses,
                                  int* predictions, float* grad, cudaStream_t stream) {
  const unsigned blocks = static_cast<unsigned>((batch + block_size - 1) / block_size);
  softmax_cross_entropy_kernel<<<blocks, block_size, 0, stream>>>(
      raw_logits, bias, labels, batch, classes, grad_scale, losses, predictions, grad);
  EEGSWEEP_KERNEL_CHECK("softmax_cross_entropy_kernel");
}

void launch_accumulate_loss(const float* losses, int batch, double* sum, cudaStream_t stream) {
  accumulate_loss_kernel<<<1, block_size, 0, stream>>>(losses, batch, sum);
  EEGSWEEP_KERNEL_CHECK("accumulate_loss_kernel");
}

void launch_confusion(const int* labels, const int* predictions, int batch, int classes,
                      unsigned long long* counts, cudaStream_t stream) {
  const unsigned blocks = static_cast<unsigned>((batch + block_size - 1) / block_size);
  confusion_kernel<<<blocks, block_size, 0, stream>>>(labels, predictions, batch, classes, counts);
  EEGSWEEP_KERNEL_CHECK("confusion_kernel");
}

void launch_bias_gradient(const float* grad, int batch, int classes, float* bias_grad,
                          cudaStream_t stream) {
  const unsigned blocks = static_cast<unsigned>((classes + block_size - 1) / block_size);
  bias_gradient_kernel<<<blocks, block_size, 0, stream>>>(grad, batch, classes, bias_grad);
  EEGSWEEP_KERNEL_CHECK("bias_gradient_kernel");
}

void launch_head_backward(const float* da, int batch, int timesteps, int hidden, Head head,
                          std::uint64_t dropout_key, float dropout_rate, float* dy,
                          cudaStream_t stream) {
  const std::size_t total = static_cast<std::size_t>(batch) * timesteps * hidden;
  head_backward_kernel<<<grid_for(total), block_size, 0, stream>>>(da, batch, timesteps, hidden,
                                                                   head, dropout_key, dropout_rate,
                                                                   dy);
  EEGSWEEP_KERNEL_CHECK("head_backward_kernel");
}

void launch_scatter_to_weight_space(const float* params, const std::int64_t* map,
                                    std::size_t count, float* weight_space, cudaStream_t stream) {
  if (count == 0) return;
  scatter_kernel<<<grid_for(count), block_size, 0, stream>>>(params, map, count, weight_space);
  EEGSWEEP_KERNEL_CHECK("scatter_kernel");
}

void launch_gather_from_weight_space(const float* dweight_space, const std::int64_t* map,
                                     std::size_t count, float* grad, cudaStream_t stream) {
  if (count == 0) return;
  gather_kernel<<<grid_for(count), block_size, 0, stream>>>(dweight_space, map, count, grad);
  EEGSWEEP_KERNEL_CHECK("gather_kernel");
}

void launch_adam(float* params, float* m, float* v, const float* grad,
                 const std::uint8_t* decay_mask, std::size_t count, float alpha, float decay,
                 const std::int64_t* map, std::size_t mapped, float* weight_space,
                 cudaStream_t stream) {
  if (count == 0) return;
  adam_kernel<<<grid_for(count), block_size, 0, stream>>>(params, m, v, grad, decay_mask, count,
                                                          alpha, decay, map, mapped, weight_space);
  EEGSWEEP_KERNEL_CHECK("adam_kernel");
}

void fill_int(std::int32_t* data, std::size_t n, std::int32_t value, cudaStream_t stream) {
  thrust::fill_n(thrust::cuda::par.on(stream), thrust::device_pointer_cast(data), n, value);
  EEGSWEEP_KERNEL_CHECK("thrust::fill_n");
}

}  // namespace eegsweep::cuda
