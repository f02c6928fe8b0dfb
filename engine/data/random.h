#pragma once
// Counter-based randomness. Every random draw in the engine is a pure function of
// (seed, stream identifiers, counter), so results never depend on thread scheduling or
// completion order, and the CPU and GPU backends can draw the same numbers independently.
// The mixing function is SplitMix64's finalizer (Steele, Lea, Flood 2014).

#include <cmath>
#include <cstdint>

#if defined(__CUDACC__)
#define EEGSWEEP_HOST_DEVICE __host__ __device__
#else
#define EEGSWEEP_HOST_DEVICE
#endif

namespace eegsweep {

EEGSWEEP_HOST_DEVICE inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Derives an independent stream key, e.g. derive_seed(sweep_seed, trial, fold).
EEGSWEEP_HOST_DEVICE inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a,
                                                      std::uint64_t b = 0, std::uint64_t c = 0) {
  return mix64(mix64(mix64(seed ^ 0x5EED5EED5EED5EEDULL) + a) + (b * 0xD1B54A32D192ED03ULL)) +
         c * 0x8CB92BA72F3D8DD7ULL;
}

// Uniform float in [0, 1) from (key, counter), 24 random bits: exactly representable, and the
// same on host and device.
EEGSWEEP_HOST_DEVICE inline float uniform_at(std::uint64_t key, std::uint64_t counter) {
  return static_cast<float>(mix64(key ^ mix64(counter)) >> 40) * (1.0f / 16777216.0f);
}

// A sequential generator over one stream (host side: shuffles, splits, init, synthetic data).
class CounterRng {
 public:
  explicit CounterRng(std::uint64_t key) : key_(key) {}

  std::uint64_t next_u64() { return mix64(key_ ^ mix64(counter_++)); }
  // Uniform double in [0, 1), 53 bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n) without modulo bias (Lemire's method).
  std::uint64_t below(std::uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(next_u64()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  // Standard normal (Box–Muller; the second value is discarded to keep draws stateless).
  double normal() {
    double u1 = uniform();
    while (u1 <= 0.0) u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Fisher–Yates shuffle of any random-access container.
  template <typename Container>
  void shuffle(Container& c) {
    for (std::size_t i = c.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(below(i));
      std::swap(c[i - 1], c[j]);
    }
  }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
};

}  // namespace eegsweep
