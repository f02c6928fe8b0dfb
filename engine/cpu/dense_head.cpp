// Plain loops with the hidden index innermost (contiguous in y, Wd, dy), so they vectorise; the
// heavy ones are compiled for several ISAs (GCC target_clones, dispatched once at load time),
// since the build itself targets baseline x86-64. The head is O(T·B·H·C), small beside the
// GRU's O(T·B·H²), but the flatten head at T = 2548 is still ~3 × 125 MFLOP per batch.

#include "engine/cpu/dense_head.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

#include "engine/model/training_rules.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define EEGSWEEP_MULTI_ISA __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define EEGSWEEP_MULTI_ISA
#endif

namespace eegsweep {
namespace {

// Dot products with 16 independent partial sums: GCC does not reorder a float reduction on its
// own (no -ffast-math), but it does vectorise this lane-wise form.
constexpr std::size_t lanes = 16;

inline float sum_lanes(const float* part) {
  float total = 0;
  for (std::size_t k = 0; k < lanes; ++k) total += part[k];
  return total;
}

inline float dot(const float* a, const float* b, std::size_t n) {
  float part[lanes] = {};
  std::size_t j = 0;
  for (; j + lanes <= n; j += lanes) {
    for (std::size_t k = 0; k < lanes; ++k) part[k] += a[j + k] * b[j + k];
  }
  for (std::size_t k = 0; j + k < n; ++k) part[k] += a[j + k] * b[j + k];
  return sum_lanes(part);
}

inline float dot3(const float* a, const float* s, const float* b, std::size_t n) {
  float part[lanes] = {};
  std::size_t j = 0;
  for (; j + lanes <= n; j += lanes) {
    for (std::size_t k = 0; k < lanes; ++k) part[k] += a[j + k] * s[j + k] * b[j + k];
  }
  for (std::size_t k = 0; j + k < n; ++k) part[k] += a[j + k] * s[j + k] * b[j + k];
  return sum_lanes(part);
}

}  // namespace

void head_dropout_scale(const HeadShape& s, std::uint64_t key, float rate, float* scale) {
  const float kept = 1.0f / (1.0f - rate);
  const std::size_t d = static_cast<std::size_t>(s.inputs());
  const std::size_t h = static_cast<std::size_t>(s.hidden);
  if (s.head == Head::flatten) {
    for (int t = 0; t < s.timesteps; ++t) {
      for (int b = 0; b < s.batch; ++b) {
        float* out = scale + (static_cast<std::size_t>(t) * s.batch + b) * h;
        const std::uint64_t base = static_cast<std::uint64_t>(b) * d + static_cast<std::uint64_t>(t) * h;
        for (std::size_t j = 0; j < h; ++j) out[j] = dropout_keep(key, base + j, rate) ? kept : 0.0f;
      }
    }
  } else {
    for (int b = 0; b < s.batch; ++b) {
      for (std::size_t j = 0; j < h; ++j) {
        scale[b * h + j] = dropout_keep(key, static_cast<std::uint64_t>(b) * d + j, rate) ? kept : 0.0f;
      }
    }
  }
}

EEGSWEEP_MULTI_ISA
void head_forward(const HeadShape& s, const float* y, const float* scale, const float* wd,
                  const float* bd, float* a, float* logits) {
  const int B = s.batch, C = s.classes, T = s.timesteps;
  const std::size_t H = static_cast<std::size_t>(s.hidden);
  const std::size_t D = static_cast<std::size_t>(s.inputs());
  if (s.head == Head::flatten) {
    // Double accumulators across steps: 2548 float partial sums would lose ~1e-4 relative.
    std::vector<double> acc(static_cast<std::size_t>(B) * C, 0.0);
    for (int t = 0; t < T; ++t) {
      for (int b = 0; b < B; ++b) {
        const float* yb = y + (static_cast<std::size_t>(t) * B + b) * H;
        const float* sb = scale ? scale + (static_cast<std::size_t>(t) * B + b) * H : nullptr;
        for (int c = 0; c < C; ++c) {
          const float* w = wd + c * D + t * H;
          acc[static_cast<std::size_t>(b) * C + c] += sb ? dot3(yb, sb, w, H) : dot(yb, w, H);
        }
      }
    }
    for (int b = 0; b < B; ++b) {
      for (int c = 0; c < C; ++c) logits[b * C + c] = static_cast<float>(acc[b * C + c] + bd[c]);
    }
    return;
  }

  if (s.head == Head::last) {
    std::memcpy(a, y + static_cast<std::size_t>(T - 1) * B * H, sizeof(float) * B * H);
  } else {
    std::fill(a, a + B * H, 0.0f);
    for (int t = 0; t < T; ++t) {
      const float* yt = y + static_cast<std::size_t>(t) * B * H;
      for (std::size_t k = 0; k < B * H; ++k) a[k] += yt[k];
    }
    const float inv_t = 1.0f / static_cast<float>(T);
    for (std::size_t k = 0; k < B * H; ++k) a[k] *= inv_t;
  }
  if (scale) {
    for (std::size_t k = 0; k < B * H; ++k) a[k] *= scale[k];
  }
  for (int b = 0; b < B; ++b) {
    for (int c = 0; c < C; ++c) {
      logits[b * C + c] = dot(a + b * H, wd + c * H, H) + bd[c];
    }
  }
}

double softmax_cross_entropy(const float* logits, const int* labels, int batch, int classes,
                             float* dlogits) {
  double total = 0;
  const float inv_batch = 1.0f / static_cast<float>(batch);
  for (int b = 0; b < batch; ++b) {
    const float* z = logits + static_cast<std::size_t>(b) * classes;
    const float max_z = *std::max_element(z, z + classes);
    float sum = 0;
    for (int c = 0; c < classes; ++c) sum += std::exp(z[c] - max_z);
    const float log_sum = max_z + std::log(sum);
    total += static_cast<double>(log_sum - z[labels[b]]);
    if (dlogits) {
      for (int c = 0; c < classes; ++c) {
        const float p = std::exp(z[c] - log_sum);
        dlogits[b * classes + c] = (p - (c == labels[b] ? 1.0f : 0.0f)) * inv_batch;
      }
    }
  }
  return total / batch;
}

EEGSWEEP_MULTI_ISA
void head_backward(const HeadShape& s, const float* y, const float* scale, const float* wd,
                   const float* a, const float* dlogits, float* grad_wd, float* grad_bd,
                   float* dy) {
  const int B = s.batch, C = s.classes, T = s.timesteps;
  const std::size_t H = static_cast<std::size_t>(s.hidden);
  const std::size_t D = static_cast<std::size_t>(s.inputs());
  for (int c = 0; c < C; ++c) {
    float sum = 0;
    for (int b = 0; b < B; ++b) sum += dlogits[b * C + c];
    grad_bd[c] = sum;
  }

  if (s.head == Head::flatten) {
    for (int t = 0; t < T; ++t) {
      // dWd[c][t·H + j] = Σ_b dlogits[b][c] · a[b][t·H + j]
      for (int c = 0; c < C; ++c) {
        float* g = grad_wd + c * D + t * H;
        std::fill(g, g + H, 0.0f);
        for (int b = 0; b < B; ++b) {
          const float* yb = y + (static_cast<std::size_t>(t) * B + b) * H;
          const float dl = dlogits[b * C + c];
          if (scale) {
            const float* sb = scale + (static_cast<std::size_t>(t) * B + b) * H;
            for (std::size_t j = 0; j < H; ++j) g[j] += dl * yb[j] * sb[j];
          } else {
            for (std::size_t j = 0; j < H; ++j) g[j] += dl * yb[j];
          }
        }
      }
      // dy[t][b][j] = scale · Σ_c dlogits[b][c] · Wd[c][t·H + j]
      for (int b = 0; b < B; ++b) {
        float* d = dy + (static_cast<std::size_t>(t) * B + b) * H;
        std::fill(d, d + H, 0.0f);
        for (int c = 0; c < C; ++c) {
          const float* w = wd + c * D + t * H;
          const float dl = dlogits[b * C + c];
          for (std::size_t j = 0; j < H; ++j) d[j] += dl * w[j];
        }
        if (scale) {
          const float* sb = scale + (static_cast<std::size_t>(t) * B + b) * H;
          for (std::size_t j = 0; j < H; ++j) d[j] *= sb[j];
        }
      }
    }
    return;
  }

  for (int c = 0; c < C; ++c) {
    float* g = grad_wd + c * H;
    std::fill(g, g + H, 0.0f);
    for (int b = 0; b < B; ++b) {
      const float dl = dlogits[b * C + c];
      for (std::size_t j = 0; j < H; ++j) g[j] += dl * a[b * H + j];
    }
  }
  // da, with dropout's scale and the mean's 1/T folded in, written to the steps it came from.
  std::vector<float> da(static_cast<std::size_t>(B) * H, 0.0f);
  for (int b = 0; b < B; ++b) {
    for (int c = 0; c < C; ++c) {
      const float dl = dlogits[b * C + c];
      for (std::size_t j = 0; j < H; ++j) da[b * H + j] += dl * wd[c * H + j];
    }
  }
  if (scale) {
    for (std::size_t k = 0; k < B * H; ++k) da[k] *= scale[k];
  }
  if (s.head == Head::last) {
    std::fill(dy, dy + static_cast<std::size_t>(T - 1) * B * H, 0.0f);
    std::copy(da.begin(), da.end(), dy + static_cast<std::size_t>(T - 1) * B * H);
  } else {
    const float inv_t = 1.0f / static_cast<float>(T);
    for (std::size_t k = 0; k < B * H; ++k) da[k] *= inv_t;
    for (int t = 0; t < T; ++t) std::copy(da.begin(), da.end(), dy + static_cast<std::size_t>(t) * B * H);
  }
}

}  // namespace eegsweep
