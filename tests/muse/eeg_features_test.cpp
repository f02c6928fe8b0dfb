#include "engine/data/muse/eeg_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/data/muse/muse_recording.h"

namespace eegsweep {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kChannels = 4;
constexpr int kSamples = 150;

std::map<std::string, double> by_name(const WindowFeaturizer& f, const std::vector<double>& v) {
  std::map<std::string, double> m;
  for (std::size_t i = 0; i < v.size(); ++i) m[f.window_names()[i]] = v[i];
  return m;
}

// Orthogonal 4 × 4 matrix from three Givens rotations, for matrices with known spectra.
std::vector<double> rotation() {
  std::vector<double> r = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  auto givens = [&](int p, int q, double angle) {
    const double c = std::cos(angle), s = std::sin(angle);
    for (int k = 0; k < 4; ++k) {
      const double a = r[k * 4 + p], b = r[k * 4 + q];
      r[k * 4 + p] = c * a - s * b;
      r[k * 4 + q] = s * a + c * b;
    }
  };
  givens(0, 1, 0.4);
  givens(1, 3, -1.1);
  givens(0, 2, 2.3);
  return r;
}

// R diag(d) Rᵀ
std::vector<double> with_spectrum(const std::vector<double>& d) {
  const std::vector<double> r = rotation();
  std::vector<double> a(16, 0.0);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 4; ++k) a[i * 4 + j] += r[i * 4 + k] * d[k] * r[j * 4 + k];
  return a;
}

TEST(Moments, SkewAndKurtosisOfKnownSamples) {
  // {0,0,0,0,1}: m2 = 0.16, m3 = 0.096, m4 = 0.0832 → g1 = 1.5, g2 = 0.25; the bias
  // corrections give G1 = 1.5 · √20 / 3 = √5 and G2 = (6 · 0.25 + 6) · 4 / 6 = 5.
  const double x[] = {0, 0, 0, 0, 1};
  EXPECT_NEAR(sample_skewness(x, 5), std::sqrt(5.0), 1e-12);
  EXPECT_NEAR(sample_excess_kurtosis(x, 5), 5.0, 1e-12);
  const double mirrored[] = {0, 0, 0, 0, -1};
  EXPECT_NEAR(sample_skewness(mirrored, 5), -std::sqrt(5.0), 1e-12);
  const double symmetric[] = {-2, -1, 0, 1, 2};
  EXPECT_NEAR(sample_skewness(symmetric, 5), 0.0, 1e-12);
  // Uniform grid of 5 points: g2 = 6.8 / 4 − 3 = −1.3 → G2 = (6 · −1.3 + 6) · 4 / 6 = −1.2.
  EXPECT_NEAR(sample_excess_kurtosis(symmetric, 5), -1.2, 1e-12);
  const double flat[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
  EXPECT_EQ(sample_skewness(flat, 6), 0.0);
  EXPECT_EQ(sample_excess_kurtosis(flat, 6), 0.0);
  const double four[] = {1, 2, 3, 4};
  EXPECT_NEAR(sample_std(four, 4), std::sqrt(5.0 / 3.0), 1e-12);
}

TEST(Eigen, ValuesOfAKnownCovariance) {
  const std::vector<double> block = {2, 1, 0, 0, 1, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 5};
  std::vector<double> values, vectors;
  symmetric_eigen(block, 4, values, vectors);
  const std::vector<double> expected = {5, 3, 3, 1};
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(values[k], expected[k], 1e-12);

  const std::vector<double> rotated = with_spectrum({0.5, 4.0, 1.5, 2.5});
  symmetric_eigen(rotated, 4, values, vectors);
  const std::vector<double> sorted = {4.0, 2.5, 1.5, 0.5};
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(values[k], sorted[k], 1e-12);
  // A v_k = λ_k v_k for every column.
  for (int k = 0; k < 4; ++k) {
    for (int i = 0; i < 4; ++i) {
      double av = 0;
      for (int j = 0; j < 4; ++j) av += rotated[i * 4 + j] * vectors[j * 4 + k];
      EXPECT_NEAR(av, values[k] * vectors[i * 4 + k], 1e-12);
    }
  }
}

TEST(MatrixLog, OfKnownSpdMatrices) {
  // [[2,1],[1,2]] = Q diag(3, 1) Qᵀ with Q = [1,1;1,−1]/√2 → logm = (ln 3 / 2) · ones.
  const std::vector<double> a = {2, 1, 1, 2};
  const std::vector<double> l = matrix_log_spd(a, 2);
  for (double v : l) EXPECT_NEAR(v, std::log(3.0) / 2.0, 1e-12);

  // R diag(e^d) Rᵀ → logm = R diag(d) Rᵀ.
  const std::vector<double> d = {1.0, 2.0, 0.5, -1.0};
  std::vector<double> exp_d(4);
  for (int k = 0; k < 4; ++k) exp_d[k] = std::exp(d[k]);
  const std::vector<double> log4 = matrix_log_spd(with_spectrum(exp_d), 4);
  const std::vector<double> expected = with_spectrum(d);
  for (int i = 0; i < 16; ++i) EXPECT_NEAR(log4[i], expected[i], 1e-12);
}

TEST(WindowFeaturizer, NamesAndCountsFollowTheGenerator) {
  const WindowFeaturizer f(kChannels, kSamples, {});
  // Per channel: 40 statistics (mean 12, std 2, skew, kurt, max 12, min 12), 10 top
  // frequencies, 71 FFT bins (1…74 Hz without 49, 50, 51); plus 10 covariances, 4 eigenvalues,
  // 10 matrix-log entries.
  const std::size_t per_window = kChannels * (40 + 10 + 71) + 10 + 4 + 10;
  EXPECT_EQ(f.window_size(), per_window);
  // The previous window loses 9 redundant features per channel.
  EXPECT_EQ(f.row_size(), 2 * per_window - 9 * kChannels);
  const auto& names = f.row_names();
  EXPECT_EQ(names.front(), "mean_0_a");
  EXPECT_EQ(names[4], "mean_d_h2h1_0_a");
  EXPECT_EQ(names.back(), "freq_740_3_b");
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  auto has = [&](const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  for (const char* n : {"covM_0_1_a", "eigenval_3_b", "logcovM_2_3_a", "topFreq_1_0_b",
                        "topFreq_10_3_a", "freq_010_0_b", "freq_480_2_b", "freq_520_2_b",
                        "mean_q3_0_b", "mean_d_q3q4_1_b", "max_q2_3_a", "skew_2_a", "kurt_1_b"}) {
    EXPECT_TRUE(has(n)) << n;
  }
  for (const char* n : {"mean_q3_0_a", "mean_q4_3_a", "mean_d_q3q4_0_a", "max_q3_1_a",
                        "min_d_q3q4_2_a", "freq_490_0_b", "freq_500_0_b", "freq_510_0_b"}) {
    EXPECT_FALSE(has(n)) << n;
  }
}

TEST(WindowFeaturizer, RowPairsThePreviousWindowThenTheCurrent) {
  const WindowFeaturizer f(2, 16, {1.0, 0.0, 3});
  std::vector<double> prev(f.window_size()), cur(f.window_size());
  for (std::size_t i = 0; i < prev.size(); ++i) {
    prev[i] = static_cast<double>(i);
    cur[i] = 1000.0 + static_cast<double>(i);
  }
  std::vector<float> row(f.row_size());
  f.make_row(prev, cur, row.data());
  for (std::size_t r = 0; r < f.row_size(); ++r) {
    const std::string& name = f.row_names()[r];
    const std::string base = name.substr(0, name.size() - 2);
    const auto at = static_cast<std::size_t>(
        std::find(f.window_names().begin(), f.window_names().end(), base) -
        f.window_names().begin());
    ASSERT_LT(at, f.window_size()) << name;
    const double expected = name.back() == 'a' ? prev[at] : cur[at];
    EXPECT_EQ(row[r], static_cast<float>(expected)) << name;
  }
  WindowFeatureOptions keep{1.0, 0.0, 3};
  keep.drop_redundant_lag = false;
  EXPECT_EQ(WindowFeaturizer(2, 16, keep).row_size(), 2 * f.window_size());
}

TEST(WindowFeaturizer, SpectrumOfPureSines) {
  // 1 s, 150 samples → bin k is k Hz. Channel 0 spans exactly [−1, 1] (cos at 15 Hz hits both),
  // so the generator's global scaling to [−1, 1] leaves every channel as it is.
  std::vector<double> w(kChannels * kSamples);
  for (int i = 0; i < kSamples; ++i) {
    const double t = static_cast<double>(i) / kSamples;
    w[0 * kSamples + i] = std::cos(2 * kPi * 15 * t);
    w[1 * kSamples + i] = 0.5 * std::cos(2 * kPi * 20 * t);
    w[2 * kSamples + i] = 0.5 * std::sin(2 * kPi * 7 * t) + 0.25 * std::sin(2 * kPi * 30 * t);
    w[3 * kSamples + i] = 0.3 * std::cos(2 * kPi * 50 * t) + 0.2 * std::cos(2 * kPi * 12 * t);
  }
  const WindowFeaturizer f(kChannels, kSamples, {});
  std::vector<double> v;
  f.compute(w.data(), v);
  auto m = by_name(f, v);
  EXPECT_NEAR(m["freq_150_0"], 1.0, 1e-9);
  EXPECT_NEAR(m["freq_200_1"], 0.5, 1e-9);
  EXPECT_NEAR(m["freq_070_2"], 0.5, 1e-9);
  EXPECT_NEAR(m["freq_300_2"], 0.25, 1e-9);
  EXPECT_NEAR(m["freq_120_3"], 0.2, 1e-9);
  EXPECT_NEAR(m["freq_140_0"], 0.0, 1e-9);
  EXPECT_NEAR(m["freq_010_3"], 0.0, 1e-9);
  EXPECT_EQ(m["topFreq_1_0"], 15.0);
  EXPECT_EQ(m["topFreq_1_1"], 20.0);
  EXPECT_EQ(m["topFreq_1_2"], 7.0);
  EXPECT_EQ(m["topFreq_2_2"], 30.0);
  EXPECT_EQ(m["topFreq_1_3"], 12.0);  // the stronger 50 Hz component is mains: removed
  for (double value : v) EXPECT_TRUE(std::isfinite(value));
}

TEST(WindowFeaturizer, ConstantWindowStaysFinite) {
  std::vector<double> w(kChannels * kSamples, 3.0);
  const WindowFeaturizer f(kChannels, kSamples, {});
  std::vector<double> v;
  f.compute(w.data(), v);
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_TRUE(std::isfinite(v[i])) << f.window_names()[i];
}

// A real 1 s window from muse-test-windows/10sec.csv, resampled as the featurizer does; every
// statistic is recomputed here from the window by its plain definition.
TEST(WindowFeaturizer, StatisticsOfARealWindow) {
  const std::string path = std::string(EEGSWEEP_SHARED_DATA) + "/muse-test-windows/10sec.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  const MuseRecording rec = read_muse_csv(path, {"TP9", "AF7", "AF8", "TP10"});
  std::vector<double> w(kChannels * kSamples);
  for (int c = 0; c < kChannels; ++c) {
    resample_linear(rec.t.data(), rec.channels[c].data(), rec.samples(), rec.t[0] + 2.0,
                    1.0 / kSamples, kSamples, w.data() + c * kSamples);
  }
  const WindowFeaturizer f(kChannels, kSamples, {});
  std::vector<double> v;
  f.compute(w.data(), v);
  auto m = by_name(f, v);

  auto mean = [&](int c, int lo, int hi) {
    long double s = 0;
    for (int i = lo; i < hi; ++i) s += w[c * kSamples + i];
    return static_cast<double>(s / (hi - lo));
  };
  auto extreme = [&](int c, int lo, int hi, bool want_max) {
    double e = w[c * kSamples + lo];
    for (int i = lo; i < hi; ++i) e = want_max ? std::max(e, w[c * kSamples + i]) : std::min(e, w[c * kSamples + i]);
    return e;
  };
  for (int c = 0; c < kChannels; ++c) {
    const std::string ch = std::to_string(c);
    const double tol = 1e-9 * (1.0 + std::abs(mean(c, 0, kSamples)));
    EXPECT_NEAR(m["mean_" + ch], mean(c, 0, kSamples), tol);
    EXPECT_NEAR(m["mean_d_h2h1_" + ch], mean(c, 75, 150) - mean(c, 0, 75), tol);
    // Quarters split at 37, 75, 112 (numpy's int(k · 150 / 4)).
    EXPECT_NEAR(m["mean_q1_" + ch], mean(c, 0, 37), tol);
    EXPECT_NEAR(m["mean_q4_" + ch], mean(c, 112, 150), tol);
    EXPECT_NEAR(m["mean_d_q2q4_" + ch], mean(c, 37, 75) - mean(c, 112, 150), tol);
    EXPECT_EQ(m["max_" + ch], extreme(c, 0, 150, true));
    EXPECT_EQ(m["min_q3_" + ch], extreme(c, 75, 112, false));
    EXPECT_NEAR(m["max_d_h2h1_" + ch], extreme(c, 75, 150, true) - extreme(c, 0, 75, true), 1e-9);
    EXPECT_NEAR(m["min_d_q1q3_" + ch], extreme(c, 0, 37, false) - extreme(c, 75, 112, false), 1e-9);
    // Standard deviation via the one-pass sums in long double (a different route).
    long double s1 = 0, s2 = 0;
    for (int i = 0; i < kSamples; ++i) {
      s1 += w[c * kSamples + i];
      s2 += static_cast<long double>(w[c * kSamples + i]) * w[c * kSamples + i];
    }
    const double var = static_cast<double>((s2 - s1 * s1 / kSamples) / (kSamples - 1));
    EXPECT_NEAR(m["std_" + ch], std::sqrt(var), 1e-7 * std::sqrt(var));
  }
  // Covariance entries, one-pass in long double; the eigenvalues sum to the trace, and
  // trace(logm C) = Σ log λ.
  double trace = 0, eigen_sum = 0, log_eigen_sum = 0;
  for (int i = 0; i < kChannels; ++i) {
    for (int j = i; j < kChannels; ++j) {
      long double sx = 0, sy = 0, sxy = 0;
      for (int k = 0; k < kSamples; ++k) {
        sx += w[i * kSamples + k];
        sy += w[j * kSamples + k];
        sxy += static_cast<long double>(w[i * kSamples + k]) * w[j * kSamples + k];
      }
      const double cov = static_cast<double>((sxy - sx * sy / kSamples) / (kSamples - 1));
      const std::string key = "covM_" + std::to_string(i) + "_" + std::to_string(j);
      EXPECT_NEAR(m[key], cov, 1e-7 * (1.0 + std::abs(cov))) << key;
      if (i == j) trace += cov;
    }
    eigen_sum += m["eigenval_" + std::to_string(i)];
    log_eigen_sum += std::log(m["eigenval_" + std::to_string(i)]);
    if (i > 0) {
      EXPECT_GE(m["eigenval_" + std::to_string(i - 1)], m["eigenval_" + std::to_string(i)]);
    }
  }
  EXPECT_NEAR(eigen_sum, trace, 1e-9 * trace);
  // The features hold |logm|; with every eigenvalue above 1 logm is positive definite, so its
  // diagonal is positive and the absolute values change nothing there.
  double log_trace = 0;
  for (int i = 0; i < kChannels; ++i) {
    log_trace += m["logcovM_" + std::to_string(i) + "_" + std::to_string(i)];
  }
  ASSERT_GT(m["eigenval_3"], 1.0) << "this window's check needs a positive definite logm";
  EXPECT_NEAR(log_trace, log_eigen_sum, 1e-9 * log_eigen_sum);
  for (double value : v) EXPECT_TRUE(std::isfinite(value));
}

}  // namespace
}  // namespace eegsweep
