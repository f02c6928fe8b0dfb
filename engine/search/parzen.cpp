#include "engine/search/parzen.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace eegsweep {

namespace {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_pdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI); }

// Picks an index with probability proportional to `weights` (normalized).
std::size_t pick(const std::vector<double>& weights, CounterRng& rng) {
  const double u = rng.uniform();
  double cumulative = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    cumulative += weights[i];
    if (u < cumulative) return i;
  }
  return weights.size() - 1;  // rounding left u just above the last cumulative sum
}

}  // namespace

std::vector<double> parzen_observation_weights(int n) {
  if (n <= 0) return {};
  if (n < 25) return std::vector<double>(static_cast<std::size_t>(n), 1.0);
  // numpy.linspace(1 / n, 1.0, n - 25) followed by 25 ones.
  std::vector<double> w;
  const int ramp = n - 25;
  for (int i = 0; i < ramp; ++i) {
    const double start = 1.0 / n;
    w.push_back(ramp == 1 ? start : start + (1.0 - start) * i / (ramp - 1));
  }
  w.insert(w.end(), 25, 1.0);
  return w;
}

double truncated_normal_pdf(double x, double mu, double sigma, double low, double high) {
  if (x < low || x > high) return 0;
  const double mass = normal_cdf((high - mu) / sigma) - normal_cdf((low - mu) / sigma);
  return normal_pdf((x - mu) / sigma) / sigma / std::max(mass, std::numeric_limits<double>::min());
}

double truncated_normal_quantile(double u, double mu, double sigma, double low, double high) {
  // Bisection on the truncated CDF: exact to the last bits in 80 steps, and no tail formula that
  // could lose precision far from mu.
  const double a = normal_cdf((low - mu) / sigma), b = normal_cdf((high - mu) / sigma);
  const double target = a + u * (b - a);
  double lo = low, hi = high;
  for (int i = 0; i < 80; ++i) {
    const double mid = 0.5 * (lo + hi);
    (normal_cdf((mid - mu) / sigma) < target ? lo : hi) = mid;
  }
  return std::clamp(0.5 * (lo + hi), low, high);
}

NumericParzen::NumericParzen(const std::vector<double>& points, double low, double high,
                             double prior_weight)
    : low_(low), high_(high) {
  if (!(low < high)) throw std::invalid_argument("NumericParzen: low must be below high");
  const double range = high - low;
  mus_ = points;
  const double prior_mu = 0.5 * (low + high);
  mus_.push_back(prior_mu);
  // σ from the neighbours in sorted order (the prior's mean among them).
  const std::size_t n = mus_.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return mus_[i] < mus_[j]; });
  std::vector<double> sorted(n);
  for (std::size_t k = 0; k < n; ++k) sorted[k] = mus_[order[k]];
  std::vector<double> sorted_sigma(n);
  for (std::size_t k = 0; k < n; ++k) {
    const double left = k == 0 ? low : sorted[k - 1];
    const double right = k + 1 == n ? high : sorted[k + 1];
    sorted_sigma[k] = std::max(sorted[k] - left, right - sorted[k]);
  }
  if (n >= 2) {  // consider_endpoints = false
    sorted_sigma[0] = sorted[1] - sorted[0];
    sorted_sigma[n - 1] = sorted[n - 1] - sorted[n - 2];
  }
  sigmas_.assign(n, 0);
  const double max_sigma = range;
  const double min_sigma = range / std::min(100.0, 1.0 + static_cast<double>(n));
  for (std::size_t k = 0; k < n; ++k) sigmas_[order[k]] = std::clamp(sorted_sigma[k], min_sigma, max_sigma);
  sigmas_[n - 1] = range;  // the prior

  weights_ = parzen_observation_weights(static_cast<int>(points.size()));
  weights_.push_back(prior_weight);
  const double total = std::accumulate(weights_.begin(), weights_.end(), 0.0);
  for (double& w : weights_) w /= total;
}

double NumericParzen::log_pdf(double x) const {
  double p = 0;
  for (std::size_t k = 0; k < mus_.size(); ++k)
    p += weights_[k] * truncated_normal_pdf(x, mus_[k], sigmas_[k], low_, high_);
  return std::log(std::max(p, std::numeric_limits<double>::min()));
}

double NumericParzen::sample(CounterRng& rng) const {
  const std::size_t k = pick(weights_, rng);
  return truncated_normal_quantile(rng.uniform(), mus_[k], sigmas_[k], low_, high_);
}

CategoricalParzen::CategoricalParzen(const std::vector<int>& indices, int choices, double prior_weight) {
  if (choices <= 0) throw std::invalid_argument("CategoricalParzen: no choices");
  const auto k = static_cast<std::size_t>(choices);
  // Kernel weights: the observations' (default weights) and the prior's, normalized together.
  std::vector<double> w = parzen_observation_weights(static_cast<int>(indices.size()));
  w.push_back(prior_weight);
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  // An observation's kernel: its choice + a on every choice, normalized (a = prior_weight / kernels);
  // the prior's kernel: uniform.
  const double a = prior_weight / static_cast<double>(indices.size() + 1);
  probabilities_.assign(k, w.back() / total / static_cast<double>(k));
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const double scale = w[i] / total / (1.0 + a * static_cast<double>(k));
    for (std::size_t c = 0; c < k; ++c) probabilities_[c] += scale * a;
    probabilities_.at(static_cast<std::size_t>(indices[i])) += scale;
  }
}

double CategoricalParzen::log_pdf(int index) const {
  return std::log(probabilities_.at(static_cast<std::size_t>(index)));
}

int CategoricalParzen::sample(CounterRng& rng) const { return static_cast<int>(pick(probabilities_, rng)); }

}  // namespace eegsweep
