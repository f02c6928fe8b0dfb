// Adam on the GPU (kernels.cu launch_adam) against training_rules.h adam_update run on the CPU,
// from the same weights, moments and gradients: bit for bit, over many steps, with and without
// weight decay. The two backends call the same function; a fused multiply-add on one side only
// would show here as a last-bit difference from the first step. Skips, saying why, without a
// GPU; in a build without CUDA it skips saying so.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "cuda/cuda_backend.h"
#include "engine/data/random.h"
#include "engine/model/training_rules.h"

#if EEGSWEEP_HAVE_CUDA
#include <cuda_runtime.h>

#include "cuda/kernels.h"
#endif

namespace eegsweep {
namespace {

#if EEGSWEEP_HAVE_CUDA

// Device copies of a host vector, freed at scope exit.
template <typename T>
struct DeviceCopy {
  explicit DeviceCopy(const std::vector<T>& host) : n(host.size()) {
    EXPECT_EQ(cudaMalloc(reinterpret_cast<void**>(&ptr), n * sizeof(T)), cudaSuccess);
    EXPECT_EQ(cudaMemcpy(ptr, host.data(), n * sizeof(T), cudaMemcpyHostToDevice), cudaSuccess);
  }
  ~DeviceCopy() { cudaFree(ptr); }
  std::vector<T> read() const {
    std::vector<T> host(n);
    EXPECT_EQ(cudaMemcpy(host.data(), ptr, n * sizeof(T), cudaMemcpyDeviceToHost), cudaSuccess);
    return host;
  }
  T* ptr = nullptr;
  std::size_t n;
};

TEST(CudaAdam, AdamMatchesCpuBitForBit) {
  std::string why;
  if (!cuda_usable(&why)) GTEST_SKIP() << "no GPU: " << why;
  constexpr std::size_t count = 4099;  // not a multiple of the block size
  constexpr std::size_t mapped = 1000;  // the first `mapped` also go to a weight space
  CounterRng rng(2024);
  std::vector<float> w(count), m(count, 0.0f), v(count, 0.0f);
  std::vector<std::uint8_t> mask(count);
  std::vector<std::int64_t> map(mapped);
  for (std::size_t i = 0; i < count; ++i) {
    // Magnitudes from 1e-4 to 10, both signs: the roundings differ at every scale.
    w[i] = static_cast<float>(rng.normal() * std::pow(10.0, rng.uniform(-4.0, 1.0)));
    mask[i] = static_cast<std::uint8_t>(i % 3 != 0);
  }
  for (std::size_t i = 0; i < mapped; ++i) map[i] = static_cast<std::int64_t>(mapped - 1 - i);
  DeviceCopy<float> d_w(w), d_m(m), d_v(v), d_space(std::vector<float>(mapped, 0.0f));
  DeviceCopy<std::uint8_t> d_mask(mask);
  DeviceCopy<std::int64_t> d_map(map);
  const float decay = 3e-2f;
  for (long step = 1; step <= 60; ++step) {
    std::vector<float> g(count);
    for (float& x : g) x = static_cast<float>(rng.normal() * 0.05);
    DeviceCopy<float> d_g(g);
    const float alpha = adam_alpha(1e-3, step);
    cuda::launch_adam(d_w.ptr, d_m.ptr, d_v.ptr, d_g.ptr, d_mask.ptr, count, alpha, decay, d_map.ptr,
                      mapped, d_space.ptr, nullptr);
    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
    for (std::size_t i = 0; i < count; ++i) adam_update(w[i], m[i], v[i], g[i], alpha, mask[i] ? decay : 0.0f);
    const std::vector<float> gpu_w = d_w.read(), gpu_m = d_m.read(), gpu_v = d_v.read();
    ASSERT_EQ(0, std::memcmp(gpu_w.data(), w.data(), count * sizeof(float))) << "weights, step " << step;
    ASSERT_EQ(0, std::memcmp(gpu_m.data(), m.data(), count * sizeof(float))) << "first moment, step " << step;
    ASSERT_EQ(0, std::memcmp(gpu_v.data(), v.data(), count * sizeof(float))) << "second moment, step " << step;
  }
  // The mapped weights were written to their places in the weight space too.
  const std::vector<float> space = d_space.read();
  for (std::size_t i = 0; i < mapped; ++i) {
    ASSERT_EQ(0, std::memcmp(&space[static_cast<std::size_t>(map[i])], &w[i], sizeof(float))) << i;
  }
}

#else

TEST(CudaAdam, AdamMatchesCpuBitForBit) {
  GTEST_SKIP() << "no GPU: built without CUDA (nvcc was not found when the build was configured)";
}

#endif

}  // namespace
}  // namespace eegsweep
