#include "engine/data/muse/eeg_features.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

namespace eegsweep {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct Moments {
  double mean = 0, m2 = 0, m3 = 0, m4 = 0;  // central moments, divided by n
  bool degenerate = true;                   // constant signal: higher moments undefined
};

Moments central_moments(const double* x, std::size_t n) {
  Moments m;
  if (n == 0) return m;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += x[i];
  m.mean = sum / static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double d = x[i] - m.mean;
    const double d2 = d * d;
    m.m2 += d2;
    m.m3 += d2 * d;
    m.m4 += d2 * d2;
  }
  const auto dn = static_cast<double>(n);
  m.m2 /= dn;
  m.m3 /= dn;
  m.m4 /= dn;
  // Rounding leaves a tiny m2 for a constant signal; ratios of such noise are meaningless.
  m.degenerate = m.m2 <= 1e-28 * m.mean * m.mean || m.m2 <= DBL_MIN;
  return m;
}

double mean_of(const double* x, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += x[i];
  return n ? s / static_cast<double>(n) : 0.0;
}

// The generator's quarter-window differences: (a, b) pairs, value q_a − q_b.
constexpr int kQuarterPairs[6][2] = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}};

}  // namespace

double sample_skewness(const double* x, std::size_t n) {
  if (n < 3) return 0.0;
  const Moments m = central_moments(x, n);
  if (m.degenerate) return 0.0;
  const auto dn = static_cast<double>(n);
  const double g1 = m.m3 / std::pow(m.m2, 1.5);
  return g1 * std::sqrt(dn * (dn - 1.0)) / (dn - 2.0);
}

double sample_excess_kurtosis(const double* x, std::size_t n) {
  if (n < 4) return 0.0;
  const Moments m = central_moments(x, n);
  if (m.degenerate) return 0.0;
  const auto dn = static_cast<double>(n);
  const double g2 = m.m4 / (m.m2 * m.m2) - 3.0;
  return ((dn + 1.0) * g2 + 6.0) * (dn - 1.0) / ((dn - 2.0) * (dn - 3.0));
}

double sample_std(const double* x, std::size_t n) {
  if (n < 2) return 0.0;
  const Moments m = central_moments(x, n);
  return std::sqrt(m.m2 * static_cast<double>(n) / static_cast<double>(n - 1));
}

std::vector<double> covariance_matrix(const double* data, int channels, std::size_t samples) {
  const auto c = static_cast<std::size_t>(channels);
  std::vector<double> means(c);
  for (std::size_t i = 0; i < c; ++i) means[i] = mean_of(data + i * samples, samples);
  std::vector<double> cov(c * c, 0.0);
  if (samples < 2) return cov;
  for (std::size_t i = 0; i < c; ++i) {
    const double* xi = data + i * samples;
    for (std::size_t j = i; j < c; ++j) {
      const double* xj = data + j * samples;
      double s = 0;
      for (std::size_t k = 0; k < samples; ++k) s += (xi[k] - means[i]) * (xj[k] - means[j]);
      cov[i * c + j] = cov[j * c + i] = s / static_cast<double>(samples - 1);
    }
  }
  return cov;
}

void symmetric_eigen(const std::vector<double>& a_in, int n, std::vector<double>& values,
                     std::vector<double>& vectors) {
  const auto un = static_cast<std::size_t>(n);
  if (a_in.size() != un * un) throw std::invalid_argument("symmetric_eigen: size mismatch");
  std::vector<double> a = a_in;
  std::vector<double> v(un * un, 0.0);
  for (std::size_t i = 0; i < un; ++i) v[i * un + i] = 1.0;
  auto at = [&](std::size_t r, std::size_t c) -> double& { return a[r * un + c]; };

  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0, diag = 0;
    for (std::size_t p = 0; p < un; ++p) {
      diag += at(p, p) * at(p, p);
      for (std::size_t q = p + 1; q < un; ++q) off += at(p, q) * at(p, q);
    }
    if (off <= 1e-32 * diag || off == 0.0) break;
    for (std::size_t p = 0; p < un; ++p) {
      for (std::size_t q = p + 1; q < un; ++q) {
        const double apq = at(p, q);
        if (apq == 0.0) continue;
        // Rotation angle that zeroes a_pq (Numerical Recipes' form, the smaller root).
        const double theta = (at(q, q) - at(p, p)) / (2.0 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0);
        const double s = t * c;
        for (std::size_t k = 0; k < un; ++k) {  // A ← A J
          const double akp = at(k, p), akq = at(k, q);
          at(k, p) = c * akp - s * akq;
          at(k, q) = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < un; ++k) {  // A ← Jᵀ A
          const double apk = at(p, k), aqk = at(q, k);
          at(p, k) = c * apk - s * aqk;
          at(q, k) = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < un; ++k) {  // V ← V J
          const double vkp = v[k * un + p], vkq = v[k * un + q];
          v[k * un + p] = c * vkp - s * vkq;
          v[k * un + q] = s * vkp + c * vkq;
        }
      }
    }
  }

  std::vector<std::size_t> order(un);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return at(x, x) > at(y, y); });
  values.assign(un, 0.0);
  vectors.assign(un * un, 0.0);
  for (std::size_t k = 0; k < un; ++k) {
    values[k] = at(order[k], order[k]);
    for (std::size_t r = 0; r < un; ++r) vectors[r * un + k] = v[r * un + order[k]];
  }
}

std::vector<double> matrix_log_spd(const std::vector<double>& a, int n) {
  const auto un = static_cast<std::size_t>(n);
  std::vector<double> values, vectors;
  symmetric_eigen(a, n, values, vectors);
  const double largest = values.empty() ? 0.0 : values.front();
  const double floor = std::max(largest * 1e-12, DBL_MIN);
  std::vector<double> logs(un);
  for (std::size_t k = 0; k < un; ++k) logs[k] = std::log(std::max(values[k], floor));
  std::vector<double> out(un * un, 0.0);
  for (std::size_t i = 0; i < un; ++i) {
    for (std::size_t j = 0; j < un; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < un; ++k) s += vectors[i * un + k] * logs[k] * vectors[j * un + k];
      out[i * un + j] = s;
    }
  }
  return out;
}

WindowFeaturizer::WindowFeaturizer(int channels, int samples, const WindowFeatureOptions& options)
    : channels_(channels), samples_(samples), options_(options) {
  if (channels < 1) throw std::invalid_argument("window features need at least one channel");
  if (samples < 8) {
    throw std::invalid_argument("window features need at least 8 samples per window, got " +
                                std::to_string(samples));
  }
  if (!(options.window_seconds > 0)) {
    throw std::invalid_argument("window_seconds must be > 0");
  }
  if (options.top_frequencies < 0) throw std::invalid_argument("top_frequencies must be >= 0");

  // FFT bins 1 … N/2 − 1 (the generator's [0:N//2] without DC), minus mains ± 1 Hz.
  for (int k = 1; k < samples / 2; ++k) {
    const double hz = k / options.window_seconds;
    if (options.mains_hz > 0 && std::abs(hz - options.mains_hz) <= 1.0) continue;
    bins_.push_back(k);
    bin_hz_.push_back(hz);
  }
  if (static_cast<int>(bins_.size()) < options.top_frequencies) {
    throw std::invalid_argument("only " + std::to_string(bins_.size()) +
                                " FFT bins per window, fewer than top_frequencies = " +
                                std::to_string(options.top_frequencies));
  }
  cos_table_.resize(static_cast<std::size_t>(samples));
  sin_table_.resize(static_cast<std::size_t>(samples));
  for (int k = 0; k < samples; ++k) {
    cos_table_[static_cast<std::size_t>(k)] = std::cos(2.0 * kPi * k / samples);
    sin_table_[static_cast<std::size_t>(k)] = -std::sin(2.0 * kPi * k / samples);
  }

  auto& names = window_names_;
  auto per_channel = [&](const std::string& stem) {
    for (int i = 0; i < channels; ++i) names.push_back(stem + "_" + std::to_string(i));
  };
  for (const char* stat : {"mean", "std", "skew", "kurt", "max", "min"}) {
    const std::string s = stat;
    if (s == "skew" || s == "kurt") {
      per_channel(s);
      continue;
    }
    if (s == "std") {
      per_channel("std");
      per_channel("std_d_h2h1");
      continue;
    }
    per_channel(s);
    per_channel(s + "_d_h2h1");
    for (int q = 1; q <= 4; ++q) per_channel(s + "_q" + std::to_string(q));
    for (const auto& pair : kQuarterPairs) {
      per_channel(s + "_d_q" + std::to_string(pair[0] + 1) + "q" + std::to_string(pair[1] + 1));
    }
  }
  for (int i = 0; i < channels; ++i) {
    for (int j = i; j < channels; ++j) {
      names.push_back("covM_" + std::to_string(i) + "_" + std::to_string(j));
    }
  }
  per_channel("eigenval");
  for (int i = 0; i < channels; ++i) {
    for (int j = i; j < channels; ++j) {
      names.push_back("logcovM_" + std::to_string(i) + "_" + std::to_string(j));
    }
  }
  for (int i = 0; i < channels; ++i) {
    for (int r = 1; r <= options.top_frequencies; ++r) {
      names.push_back("topFreq_" + std::to_string(r) + "_" + std::to_string(i));
    }
  }
  for (int i = 0; i < channels; ++i) {
    for (double hz : bin_hz_) {
      char label[32];
      std::snprintf(label, sizeof label, "freq_%03ld_%d", std::lround(10.0 * hz), i);
      names.push_back(label);
    }
  }

  // The previous window's second half is the current window's first half, so its q3/q4
  // features repeat the current q1/q2 ones (the generator's `remove_redundant`).
  for (std::size_t f = 0; f < names.size(); ++f) {
    bool redundant = false;
    if (!options.drop_redundant_lag) {
      lag_kept_.push_back(f);
      row_names_.push_back(names[f] + "_a");
      continue;
    }
    for (const char* stat : {"mean", "max", "min"}) {
      for (const char* part : {"_q3_", "_q4_", "_d_q3q4_"}) {
        const std::string prefix = std::string(stat) + part;
        if (names[f].compare(0, prefix.size(), prefix) == 0) redundant = true;
      }
    }
    if (!redundant) {
      lag_kept_.push_back(f);
      row_names_.push_back(names[f] + "_a");
    }
  }
  for (const std::string& name : names) row_names_.push_back(name + "_b");
}

void WindowFeaturizer::compute(const double* window, std::vector<double>& out) const {
  const auto c = static_cast<std::size_t>(channels_);
  const auto n = static_cast<std::size_t>(samples_);
  const std::size_t half = n / 2;
  const std::size_t cuts[5] = {0, n / 4, n / 2, (3 * n) / 4, n};  // np.split at int(k·N/4)

  struct Channel {
    double mean, std, skew, kurt, max, min;
    double h_mean[2], h_std[2], h_max[2], h_min[2];
    double q_mean[4], q_max[4], q_min[4];
  };
  std::vector<Channel> ch(c);
  for (std::size_t i = 0; i < c; ++i) {
    const double* x = window + i * n;
    Channel& s = ch[i];
    s.mean = mean_of(x, n);
    s.std = sample_std(x, n);
    s.skew = sample_skewness(x, n);
    s.kurt = sample_excess_kurtosis(x, n);
    s.max = *std::max_element(x, x + n);
    s.min = *std::min_element(x, x + n);
    const std::size_t h_lo[2] = {0, half}, h_hi[2] = {half, n};
    for (int h = 0; h < 2; ++h) {
      const double* p = x + h_lo[h];
      const std::size_t len = h_hi[h] - h_lo[h];
      s.h_mean[h] = mean_of(p, len);
      s.h_std[h] = sample_std(p, len);
      s.h_max[h] = *std::max_element(p, p + len);
      s.h_min[h] = *std::min_element(p, p + len);
    }
    for (int q = 0; q < 4; ++q) {
      const double* p = x + cuts[q];
      const std::size_t len = cuts[q + 1] - cuts[q];
      s.q_mean[q] = mean_of(p, len);
      s.q_max[q] = *std::max_element(p, p + len);
      s.q_min[q] = *std::min_element(p, p + len);
    }
  }

  out.clear();
  out.reserve(window_names_.size());
  auto put = [&](auto value_of) {
    for (std::size_t i = 0; i < c; ++i) out.push_back(value_of(ch[i]));
  };
  auto put_stat = [&](auto full, auto halves, auto quarters) {
    put([&](const Channel& s) { return full(s); });
    put([&](const Channel& s) { return halves(s)[1] - halves(s)[0]; });
    for (int q = 0; q < 4; ++q) put([&](const Channel& s) { return quarters(s)[q]; });
    for (const auto& pair : kQuarterPairs) {
      put([&](const Channel& s) { return quarters(s)[pair[0]] - quarters(s)[pair[1]]; });
    }
  };
  put_stat([](const Channel& s) { return s.mean; }, [](const Channel& s) { return s.h_mean; },
           [](const Channel& s) { return s.q_mean; });
  put([](const Channel& s) { return s.std; });
  put([](const Channel& s) { return s.h_std[1] - s.h_std[0]; });
  put([](const Channel& s) { return s.skew; });
  put([](const Channel& s) { return s.kurt; });
  put_stat([](const Channel& s) { return s.max; }, [](const Channel& s) { return s.h_max; },
           [](const Channel& s) { return s.q_max; });
  put_stat([](const Channel& s) { return s.min; }, [](const Channel& s) { return s.h_min; },
           [](const Channel& s) { return s.q_min; });

  const std::vector<double> cov = covariance_matrix(window, channels_, n);
  for (std::size_t i = 0; i < c; ++i) {
    for (std::size_t j = i; j < c; ++j) out.push_back(cov[i * c + j]);
  }
  std::vector<double> eigenvalues, eigenvectors;
  symmetric_eigen(cov, channels_, eigenvalues, eigenvectors);
  out.insert(out.end(), eigenvalues.begin(), eigenvalues.end());
  const std::vector<double> log_cov = matrix_log_spd(cov, channels_);
  for (std::size_t i = 0; i < c; ++i) {
    for (std::size_t j = i; j < c; ++j) out.push_back(std::abs(log_cov[i * c + j]));
  }

  // Spectrum: the whole window scaled to [-1, 1] with one min/max over all channels (as the
  // generator does, so channels keep their relative amplitudes), magnitudes |X_k| · 2 / N.
  const double lo = *std::min_element(window, window + c * n);
  const double hi = *std::max_element(window, window + c * n);
  const double scale = hi > lo ? 2.0 / (hi - lo) : 0.0;
  const std::size_t nb = bins_.size();
  std::vector<double> magnitudes(c * nb);
  std::vector<double> scaled(n);
  for (std::size_t i = 0; i < c; ++i) {
    const double* x = window + i * n;
    for (std::size_t t = 0; t < n; ++t) scaled[t] = scale > 0 ? -1.0 + (x[t] - lo) * scale : 0.0;
    for (std::size_t b = 0; b < nb; ++b) {
      const auto k = static_cast<std::size_t>(bins_[b]);
      double re = 0, im = 0;
      std::size_t phase = 0;
      for (std::size_t t = 0; t < n; ++t) {
        re += scaled[t] * cos_table_[phase];
        im += scaled[t] * sin_table_[phase];
        phase += k;
        if (phase >= n) phase -= n;
      }
      magnitudes[i * nb + b] = std::sqrt(re * re + im * im) * 2.0 / static_cast<double>(n);
    }
  }
  std::vector<std::size_t> order(nb);
  for (std::size_t i = 0; i < c; ++i) {
    const double* m = magnitudes.data() + i * nb;
    std::iota(order.begin(), order.end(), 0);
    // Ties keep the lower frequency first, so the list does not depend on sort internals.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return m[x] > m[y]; });
    for (int r = 0; r < options_.top_frequencies; ++r) {
      out.push_back(bin_hz_[order[static_cast<std::size_t>(r)]]);
    }
  }
  out.insert(out.end(), magnitudes.begin(), magnitudes.end());

  if (out.size() != window_names_.size()) {
    throw std::logic_error("WindowFeaturizer: feature count does not match the names");
  }
}

void WindowFeaturizer::make_row(const std::vector<double>& previous,
                                const std::vector<double>& current, float* row) const {
  for (std::size_t f : lag_kept_) *row++ = static_cast<float>(previous[f]);
  for (double v : current) *row++ = static_cast<float>(v);
}

}  // namespace eegsweep
