#pragma once
// The Parzen estimators of TPE (Bergstra et al. 2011), in the form Optuna 3.1's independent
// sampler uses by default: one mixture per parameter and per group (good / bad trials).
//
// Numeric: a truncated normal at each observation plus a prior component at the middle of the
// range with σ = (high − low). An observation's σ is the larger distance to its neighbours among
// the sorted observations and the prior's mean, with [low, high] as the outer neighbours; the
// first and last (when there are ≥ 2 points) use their one inner neighbour; every σ is clipped
// to [(high − low) / min(100, 1 + points), high − low] ("magic clip"); the prior keeps σ =
// high − low. Categorical: a mixture of one kernel per observation — its own choice plus
// a = prior_weight / (observations + 1) on every choice, normalized — and a uniform prior kernel.
// Weights: 1 each below 25 observations; from 25 on, the oldest n − 25 ramp linearly from 1/n up
// to 1 (Optuna's default_weights), so recent trials count fully.

#include <vector>

#include "engine/data/random.h"

namespace eegsweep {

// Optuna's default_weights(n), oldest first.
std::vector<double> parzen_observation_weights(int n);

class NumericParzen {
 public:
  // `points` oldest first, each in [low, high] (low < high).
  NumericParzen(const std::vector<double>& points, double low, double high, double prior_weight = 1.0);
  double log_pdf(double x) const;
  double sample(CounterRng& rng) const;  // a component by weight, then its truncated normal

  const std::vector<double>& mus() const { return mus_; }
  const std::vector<double>& sigmas() const { return sigmas_; }
  const std::vector<double>& weights() const { return weights_; }  // normalized; prior last

 private:
  std::vector<double> mus_, sigmas_, weights_;
  double low_, high_;
};

class CategoricalParzen {
 public:
  // `indices` oldest first, each in [0, choices).
  CategoricalParzen(const std::vector<int>& indices, int choices, double prior_weight = 1.0);
  double log_pdf(int index) const;
  int sample(CounterRng& rng) const;
  const std::vector<double>& probabilities() const { return probabilities_; }

 private:
  std::vector<double> probabilities_;
};

// A normal(mu, sigma) truncated to [low, high]: its density and an inverse-CDF draw from u in [0, 1).
double truncated_normal_pdf(double x, double mu, double sigma, double low, double high);
double truncated_normal_quantile(double u, double mu, double sigma, double low, double high);

}  // namespace eegsweep
