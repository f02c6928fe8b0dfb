// Synthetic EEG-like tables. The feature axis is read as time (t = 0 … F−1), and each class is a
// characteristic spectrum, as EEG classes differ mostly in band power:
//
//   x_t = a1·sin(2π c_k t/F + φ1) + a2·sin(2π c'_k t/F + φ2)   class-specific rhythm, 2 tones
//       + cos(π (k+1) (t+½)/F)                                 class-specific slow wave
//       + b_t,  b_t = 0.9·b_{t−1} + e_t                        shared red (1/f-like) background
//       + noise·ε_t                                            white sensor noise
//
// c_k spreads the classes' dominant frequencies evenly between ~1.5 and F/4 cycles per row (at
// least four samples per cycle, so that a GRU reading 2–4 features per step still sees the
// oscillation); c'_k = 2·c_k (a harmonic) when that stays below Nyquist, else c_k/2. Phases are
// uniform per row and amplitudes jitter ±20 % per row, so the rhythm is a cue only to a learner
// that detects frequency. The slow wave (k+1 half cycles over the row: a falling trend for
// class 0, one full cycle for class 1, …) is phase-locked, like an evoked potential; it is what
// lets a small GRU learn quickly at ordinary learning rates. Measured with the oneDNN backend
// (hidden 32, head last, batch 32, Adam 3e-3, fold 1 of 5 of 600 × 64 × 3 at noise 1, 3 seeds):
// read as 16 × 4, ≥ 95 % validation accuracy from epoch 3; as 32 × 2, 92–100 % from epoch 3–5.
// With the rhythm alone, the same GRU was at 68–86 % after 10 epochs at Adam 1e-3.
// Rhythm and slow wave have amplitude 1, so `noise` is the noise-to-signal ratio.
//
// Every row draws from its own counter stream (derive_seed(seed, streams::synthetic_row, row)), so rows do not
// depend on one another or on the shuffle.

#include "engine/data/synthetic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "engine/data/random.h"
#include "engine/data/seed_streams.h"

namespace eegsweep {
namespace {

constexpr double pi = 3.141592653589793;
constexpr double two_pi = 2.0 * pi;

std::string describe(const SyntheticSpec& s) {
  char noise[32];
  std::snprintf(noise, sizeof noise, "%g", s.noise);
  return "synthetic(rows=" + std::to_string(s.rows) + ",features=" + std::to_string(s.features) +
         ",classes=" + std::to_string(s.classes) + ",noise=" + noise +
         ",groups=" + std::to_string(s.groups) + ",seed=" + std::to_string(s.seed) + ")";
}

}  // namespace

Dataset make_synthetic(const SyntheticSpec& spec) {
  if (spec.classes < 2) {
    throw DataError("synthetic data: classes must be at least 2, got " +
                    std::to_string(spec.classes));
  }
  if (spec.rows < spec.classes) {
    throw DataError("synthetic data: rows (" + std::to_string(spec.rows) +
                    ") must be at least the number of classes (" + std::to_string(spec.classes) +
                    ")");
  }
  if (spec.features < 2) {
    throw DataError("synthetic data: features must be at least 2, got " +
                    std::to_string(spec.features));
  }
  if (!(spec.noise >= 0.0) || !std::isfinite(spec.noise)) {
    throw DataError("synthetic data: noise must be a finite number >= 0");
  }
  if (spec.groups < 0 || spec.groups > spec.rows) {
    throw DataError("synthetic data: groups must be in [0, rows=" + std::to_string(spec.rows) +
                    "], got " + std::to_string(spec.groups));
  }

  const auto rows = static_cast<std::size_t>(spec.rows);
  const auto features = static_cast<std::size_t>(spec.features);
  const int classes = spec.classes;
  const double f = static_cast<double>(features);

  // Per-class rhythm, in cycles per row.
  const double hi = std::max(f / 4.0, 2.0);
  const double lo = std::min(1.5, hi / 2.0);
  std::vector<double> primary(classes), secondary(classes);
  for (int k = 0; k < classes; ++k) {
    const double u = static_cast<double>(k) / (classes - 1);
    primary[k] = lo + (hi - lo) * u;
    secondary[k] = 2.0 * primary[k] < f / 2.0 - 1.0 ? 2.0 * primary[k] : primary[k] / 2.0;
  }

  Dataset data;
  data.source = describe(spec);
  data.rows = rows;
  data.features = features;
  data.x.resize(rows * features);
  data.y.resize(rows);
  for (int k = 0; k < classes; ++k) data.class_names.push_back("class" + std::to_string(k));
  for (std::size_t j = 0; j < features; ++j) data.feature_names.push_back("f" + std::to_string(j));

  // Balanced before the shuffle: generated row i belongs to class i mod K.
  std::vector<std::size_t> order(rows);
  std::iota(order.begin(), order.end(), std::size_t{0});
  CounterRng(derive_seed(spec.seed, streams::synthetic_order)).shuffle(order);

  const double background_innovation = 0.3 * std::sqrt(1.0 - 0.9 * 0.9);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t generated = order[r];
    const int k = static_cast<int>(generated % static_cast<std::size_t>(classes));
    CounterRng rng(derive_seed(spec.seed, streams::synthetic_row, generated));
    const double phase1 = rng.uniform(0.0, two_pi);
    const double phase2 = rng.uniform(0.0, two_pi);
    const double amp1 = rng.uniform(0.8, 1.2);
    const double amp2 = 0.5 * rng.uniform(0.8, 1.2);
    double background = 0.3 * rng.normal();
    float* out = data.x.data() + r * features;
    for (std::size_t j = 0; j < features; ++j) {
      const double t = static_cast<double>(j);
      background = 0.9 * background + background_innovation * rng.normal();
      const double value = amp1 * std::sin(two_pi * primary[k] * t / f + phase1) +
                           amp2 * std::sin(two_pi * secondary[k] * t / f + phase2) +
                           std::cos(pi * (k + 1) * (t + 0.5) / f) + background +
                           spec.noise * rng.normal();
      out[j] = static_cast<float>(value);
    }
    data.y[r] = k;
  }

  if (spec.groups > 0) {
    // Round-robin over the shuffled rows: every recording holds a random, near-balanced mix.
    data.group_column = "recording";
    for (int g = 0; g < spec.groups; ++g) data.group_names.push_back("rec" + std::to_string(g));
    data.group.resize(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      data.group[r] = static_cast<int>(r % static_cast<std::size_t>(spec.groups));
    }
  }
  return data;
}

}  // namespace eegsweep
