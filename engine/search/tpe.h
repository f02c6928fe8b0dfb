#pragma once
// Tree-structured Parzen Estimator (Bergstra et al. 2011) with Optuna 3.1's defaults: the first
// `startup_trials` trials are random search's draws; after that each swept parameter is chosen on
// its own (Optuna's independent sampler): the finished trials are split into a good group (the
// best γ(n) = min(⌈0.1 n⌉, 25)) and a bad one, a Parzen estimator l(x) is fitted to the good
// values and g(x) to the bad ones (parzen.h), `candidates` values are drawn from l, and the one
// with the largest l(x) / g(x) — the largest expected improvement — is taken.
//
// Pure: the suggestion is a function of the spaces, the history (in the order given), the seed
// and the trial number, so the same history always gives the same trial.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/spec/sweep_spec.h"

namespace eegsweep {

struct TpeObservation {
  std::map<std::string, ParamValue> values;
  // scored: finished with a score; pruned: stopped early (ranked after every scored trial, as
  // Optuna ranks pruned trials); running: not finished yet, counted as the worst (the constant
  // liar), so that trials suggested at the same time do not all get the same suggestion.
  enum class State { scored, pruned, running } state = State::scored;
  double loss = 0;  // scored: lower is better (the metric, negated when it is maximized)
};

struct TpeSettings {
  int startup_trials = 10;
  int candidates = 24;
  double prior_weight = 1.0;
};

// Optuna's default γ: how many of n observations form the good group.
int tpe_good_count(int n);

// Observation positions (into `history`) of the good and the bad group: scored trials by loss
// (ties: earlier first), then pruned, then running ones; the first tpe_good_count(n) are good.
struct TpeSplit {
  std::vector<std::size_t> good, bad;
};
TpeSplit tpe_split(const std::vector<TpeObservation>& history);

// The values of one new trial: every parameter of the table (unswept ones at their defaults).
// `seed`/`trial_number`/`attempt` pick the random streams; a start-up trial (fewer than
// startup_trials scored or pruned observations) with attempt 0 is random search's draw number
// trial_number − 1 (expand.cpp), so bayes and random start from the same trials. `attempt` > 0
// redraws a suggestion that repeated a stored trial: attempts 1–49 draw each value from l(x)
// without the EI choice, later ones from the whole space.
std::map<std::string, ParamValue> tpe_suggest(const std::map<std::string, ParameterSpace>& spaces,
                                              const std::vector<TpeObservation>& history,
                                              std::uint64_t seed, int trial_number, int attempt,
                                              const TpeSettings& settings = {});

}  // namespace eegsweep
