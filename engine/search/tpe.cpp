#include "engine/search/tpe.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <optional>

#include "engine/data/hash.h"
#include "engine/data/random.h"
#include "engine/data/seed_streams.h"
#include "engine/search/parzen.h"
#include "engine/spec/sampling.h"

namespace eegsweep {

namespace {

using Kind = ParameterSpace::Kind;

// Multiples of q come out as 0.30000000000000004; 15 significant digits give back 0.3 (as the
// random search writes them).
double tidy(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", x);
  return std::strtod(text, nullptr);
}

std::optional<double> as_number(const ParamValue& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return std::nullopt;
}

// A numeric space as TPE sees it: an interval of an internal coordinate (the log for
// log_uniform_values; integers and multiples of q widened by half a step so that the end values
// are as likely as the inner ones).
struct Axis {
  double low = 0, high = 0;
  bool log = false;
};

Axis axis_of(const ParameterSpace& s) {
  switch (s.kind) {
    case Kind::log_uniform_values:
      return {std::log(s.min), std::log(s.max), true};
    case Kind::int_uniform:
      return {std::ceil(s.min) - 0.5, std::floor(s.max) + 0.5, false};
    case Kind::q_uniform: {
      const double k_lo = std::ceil(s.min / s.q - 1e-9), k_hi = std::floor(s.max / s.q + 1e-9);
      return {(k_lo - 0.5) * s.q, (k_hi + 0.5) * s.q, false};
    }
    default:
      return {s.min, s.max, false};
  }
}

std::optional<double> to_internal(const ParameterSpace& s, const Axis& a, const ParamValue& v) {
  auto x = as_number(v);
  if (!x) return std::nullopt;
  if (a.log) {
    if (*x <= 0) return std::nullopt;
    x = std::log(*x);
  }
  if (*x < a.low || *x > a.high) return std::nullopt;  // from an earlier, wider space
  (void)s;
  return x;
}

ParamValue from_internal(const ParameterInfo& info, const ParameterSpace& s, const Axis& a, double x) {
  double v = a.log ? std::clamp(std::exp(x), s.min, s.max) : x;
  if (s.kind == Kind::int_uniform) v = std::clamp(std::round(v), std::ceil(s.min), std::floor(s.max));
  if (s.kind == Kind::q_uniform) {
    const double k_lo = std::ceil(s.min / s.q - 1e-9), k_hi = std::floor(s.max / s.q + 1e-9);
    v = tidy(std::clamp(std::round(v / s.q), k_lo, k_hi) * s.q);
  }
  if (s.kind == Kind::uniform) v = std::clamp(v, s.min, s.max);
  if (info.type == "int")
    return static_cast<std::int64_t>(std::clamp(std::round(v), std::ceil(s.min), std::floor(s.max)));
  return v;
}

// One swept parameter chosen by expected improvement from the good and bad observations.
// `candidates` 1 is a plain draw from l(x) (a redraw after a repeated trial).
ParamValue suggest_one(const ParameterInfo& info, const ParameterSpace& space,
                       const std::vector<TpeObservation>& history, const TpeSplit& split,
                       CounterRng& rng, const TpeSettings& settings, int candidates) {
  if (space.kind == Kind::values) {
    auto index_of = [&](std::size_t obs) -> int {
      const auto it = history[obs].values.find(info.name);
      if (it == history[obs].values.end()) return -1;
      const auto found = std::find(space.values.begin(), space.values.end(), it->second);
      return found == space.values.end() ? -1 : static_cast<int>(found - space.values.begin());
    };
    auto indices = [&](const std::vector<std::size_t>& group) {
      std::vector<int> out;
      for (std::size_t obs : group)
        if (int i = index_of(obs); i >= 0) out.push_back(i);
      return out;
    };
    const int k = static_cast<int>(space.values.size());
    const CategoricalParzen good(indices(split.good), k, settings.prior_weight);
    const CategoricalParzen bad(indices(split.bad), k, settings.prior_weight);
    int best = 0;
    double best_score = -INFINITY;
    for (int c = 0; c < candidates; ++c) {
      const int candidate = good.sample(rng);
      const double score = good.log_pdf(candidate) - bad.log_pdf(candidate);
      if (score > best_score) best_score = score, best = candidate;
    }
    return space.values[static_cast<std::size_t>(best)];
  }
  const Axis axis = axis_of(space);
  auto points = [&](const std::vector<std::size_t>& group) {
    std::vector<double> out;
    for (std::size_t obs : group) {
      const auto it = history[obs].values.find(info.name);
      if (it == history[obs].values.end()) continue;
      if (auto x = to_internal(space, axis, it->second)) out.push_back(*x);
    }
    return out;
  };
  const NumericParzen good(points(split.good), axis.low, axis.high, settings.prior_weight);
  const NumericParzen bad(points(split.bad), axis.low, axis.high, settings.prior_weight);
  double best = 0, best_score = -INFINITY;
  for (int c = 0; c < candidates; ++c) {
    const double candidate = good.sample(rng);
    const double score = good.log_pdf(candidate) - bad.log_pdf(candidate);
    if (score > best_score) best_score = score, best = candidate;
  }
  return from_internal(info, space, axis, best);
}

}  // namespace

int tpe_good_count(int n) { return std::min(static_cast<int>(std::ceil(0.1 * n)), 25); }

TpeSplit tpe_split(const std::vector<TpeObservation>& history) {
  std::vector<std::size_t> order(history.size());
  std::iota(order.begin(), order.end(), 0);
  auto rank = [&](std::size_t i) { return static_cast<int>(history[i].state); };  // scored < pruned < running
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    if (rank(i) != rank(j)) return rank(i) < rank(j);
    return history[i].state == TpeObservation::State::scored && history[i].loss < history[j].loss;
  });
  const auto good = static_cast<std::size_t>(tpe_good_count(static_cast<int>(history.size())));
  TpeSplit split;
  for (std::size_t k = 0; k < order.size(); ++k) (k < good ? split.good : split.bad).push_back(order[k]);
  // Oldest first within each group: the Parzen weights favour recent trials by position.
  std::sort(split.good.begin(), split.good.end());
  std::sort(split.bad.begin(), split.bad.end());
  return split;
}

std::map<std::string, ParamValue> tpe_suggest(const std::map<std::string, ParameterSpace>& spaces,
                                              const std::vector<TpeObservation>& history,
                                              std::uint64_t seed, int trial_number, int attempt,
                                              const TpeSettings& settings) {
  const auto finished = std::count_if(history.begin(), history.end(), [](const TpeObservation& o) {
    return o.state != TpeObservation::State::running;
  });
  // Redraws after a suggestion that repeated a stored trial: in a small discrete space the
  // largest l/g keeps naming the same values, so attempts 1–49 draw each value straight from l(x),
  // and later ones from the whole space (as random search), until a new trial comes out.
  const bool startup = finished < settings.startup_trials || attempt >= 50;
  const int candidates = attempt == 0 ? settings.candidates : 1;
  const TpeSplit split = startup ? TpeSplit{} : tpe_split(history);
  std::map<std::string, ParamValue> values;
  for (const auto& info : parameter_table()) {
    const auto it = spaces.find(info.name);
    if (it == spaces.end()) {
      values[info.name] = info.default_value;
      continue;
    }
    const auto name_key = fnv1a(info.name);
    if (it->second.kind == Kind::constant) {
      values[info.name] = it->second.values.at(0);
    } else if (startup) {
      CounterRng rng(attempt == 0 ? derive_seed(seed, streams::random_search,
                                                static_cast<std::uint64_t>(trial_number - 1), name_key)
                                  : derive_seed(seed, streams::tpe, static_cast<std::uint64_t>(trial_number),
                                                name_key + static_cast<std::uint64_t>(attempt)));
      values[info.name] = sample_parameter(info, it->second, rng);
    } else {
      CounterRng rng(derive_seed(seed, streams::tpe, static_cast<std::uint64_t>(trial_number),
                                 name_key + static_cast<std::uint64_t>(attempt)));
      values[info.name] = suggest_one(info, it->second, history, split, rng, settings, candidates);
    }
  }
  return values;
}

}  // namespace eegsweep
