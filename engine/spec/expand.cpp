// Parameter space → numbered trials. Grid: the Cartesian product over parameters in name order,
// the last varying fastest. Random: run_cap draws, each parameter of each draw from its own
// counter-based stream, so a draw never depends on thread timing, on earlier draws, or on which
// other parameters are swept.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "engine/data/hash.h"
#include "engine/data/random.h"
#include "engine/data/seed_streams.h"
#include "engine/spec/detail/param_space.h"
#include "engine/spec/parameters.h"
#include "engine/spec/detail/spec_hash.h"
#include "engine/spec/sweep_spec.h"
#include "engine/spec/sampling.h"

namespace eegsweep {
namespace {

using Kind = ParameterSpace::Kind;

// A grid larger than this without a run_cap is almost surely a mistake (and would not fit).
constexpr std::uint64_t max_grid_trials = 1000000;

// Multiples of q come out as 0.30000000000000004; 15 significant digits give back 0.3.
double tidy(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", x);
  return std::strtod(text, nullptr);
}

}  // namespace

ParamValue sample_parameter(const ParameterInfo& info, const ParameterSpace& space, CounterRng& rng) {
  switch (space.kind) {
    case Kind::constant:
      return space.values.at(0);
    case Kind::values: {
      if (space.probabilities.empty()) return space.values[rng.below(space.values.size())];
      const double u = rng.uniform();
      double cumulative = 0;
      for (std::size_t i = 0; i < space.values.size(); ++i) {
        cumulative += space.probabilities[i];
        if (u < cumulative) return space.values[i];
      }
      return space.values.back();  // rounding left u just above the last cumulative sum
    }
    default:
      break;
  }
  double x = 0;
  switch (space.kind) {
    case Kind::uniform:
      x = rng.uniform(space.min, space.max);
      break;
    case Kind::int_uniform: {
      const auto lo = static_cast<std::int64_t>(std::ceil(space.min));
      const auto hi = static_cast<std::int64_t>(std::floor(space.max));
      x = static_cast<double>(lo + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(hi - lo) + 1)));
      break;
    }
    case Kind::log_uniform_values:
      x = std::exp(rng.uniform(std::log(space.min), std::log(space.max)));
      x = std::clamp(x, space.min, space.max);  // exp(log(max)) may land an ulp above max
      break;
    case Kind::q_uniform: {
      // W&B: round(uniform(min, max) / q) * q, kept on the multiples of q inside [min, max].
      const double k_lo = std::ceil(space.min / space.q - 1e-9);
      const double k_hi = std::floor(space.max / space.q + 1e-9);
      const double k = std::clamp(std::round(rng.uniform(space.min, space.max) / space.q), k_lo, k_hi);
      x = tidy(k * space.q);
      break;
    }
    default:
      break;
  }
  // Integer parameters take the nearest integer of any continuous draw (e.g. a log-uniform
  // hidden_size), kept inside the integer range.
  if (info.type == "int") {
    const double lo = std::ceil(space.min), hi = std::floor(space.max);
    return static_cast<std::int64_t>(std::clamp(std::round(x), lo, hi));
  }
  return x;
}

Trial make_trial(std::map<std::string, ParamValue> values) {
  Trial trial;
  nlohmann::json json = nlohmann::json::object();  // std::map inside: keys come out sorted
  for (const auto& [name, value] : values) {
    find_parameter(name)->set(trial.params, value);
    std::visit([&, n = name](const auto& v) { json[n] = v; }, value);
  }
  trial.values = std::move(values);
  trial.params_json = json.dump();
  trial.params_hash = spec_detail::stable_hash(trial.params_json);
  return trial;
}

namespace {

// Adds the trial unless an identical one is already listed; false once run_cap is reached.
bool add_unique(std::vector<Trial>& trials, std::unordered_set<std::string>& seen, Trial trial,
                int run_cap) {
  if (seen.insert(trial.params_json).second) {
    trial.number = static_cast<int>(trials.size()) + 1;
    trials.push_back(std::move(trial));
  }
  return run_cap <= 0 || static_cast<int>(trials.size()) < run_cap;
}

}  // namespace

// The spec's spaces with every value brought to its parameter's type (a SweepSpec may have been
// built in code rather than parsed), checked to exist in the table.
std::map<std::string, ParameterSpace> typed_spaces(const SweepSpec& spec) {
  std::map<std::string, ParameterSpace> spaces;
  for (const auto& [name, space] : spec.parameters) {
    const ParameterInfo* info = find_parameter(name);
    if (info == nullptr) throw SpecError("unknown parameter '" + name + "'");
    ParameterSpace typed = space;
    for (auto& v : typed.values) v = spec_detail::coerce_param_value(*info, v);
    const bool listed = space.kind == Kind::constant || space.kind == Kind::values;
    if (listed && typed.values.empty())
      throw SpecError("parameter '" + name + "': no values");
    if (listed && space.kind == Kind::constant && typed.values.size() != 1)
      throw SpecError("parameter '" + name + "': a constant has exactly one value");
    if (!space.probabilities.empty() && space.probabilities.size() != typed.values.size())
      throw SpecError("parameter '" + name + "': probabilities and values differ in length");
    spaces[name] = std::move(typed);
  }
  return spaces;
}

namespace {

std::vector<Trial> expand_grid(const SweepSpec& spec, const std::map<std::string, ParameterSpace>& spaces) {
  // One axis per table parameter (the table is sorted by name); unswept ones have one value.
  std::vector<std::pair<std::string, std::vector<ParamValue>>> axes;
  std::uint64_t total = 1;
  for (const auto& info : parameter_table()) {
    const auto it = spaces.find(info.name);
    if (it == spaces.end()) {
      axes.push_back({info.name, {info.default_value}});
      continue;
    }
    if (it->second.kind != Kind::constant && it->second.kind != Kind::values)
      throw SpecError("parameter '" + info.name +
                      "': grid search needs value or values, not a distribution");
    axes.push_back({info.name, it->second.values});
    const std::uint64_t n = it->second.values.size();
    total = total > std::numeric_limits<std::uint64_t>::max() / n ? std::numeric_limits<std::uint64_t>::max()
                                                                   : total * n;
  }
  if (spec.run_cap <= 0 && total > max_grid_trials)
    throw SpecError("the grid has " + std::to_string(total) + " trials (more than " +
                    std::to_string(max_grid_trials) + "): narrow it or set run_cap");

  std::vector<Trial> trials;
  std::unordered_set<std::string> seen;
  std::vector<std::size_t> index(axes.size(), 0);
  while (true) {
    std::map<std::string, ParamValue> values;
    for (std::size_t a = 0; a < axes.size(); ++a) values[axes[a].first] = axes[a].second[index[a]];
    if (!add_unique(trials, seen, make_trial(std::move(values)), spec.run_cap)) break;
    // Odometer: the last axis turns fastest.
    std::size_t a = axes.size();
    while (a > 0 && ++index[a - 1] == axes[a - 1].second.size()) index[--a] = 0;
    if (a == 0) break;
  }
  return trials;
}

std::vector<Trial> expand_random(const SweepSpec& spec, const std::map<std::string, ParameterSpace>& spaces) {
  if (spec.run_cap <= 0) throw SpecError("random search needs run_cap (the number of draws)");
  std::vector<Trial> trials;
  std::unordered_set<std::string> seen;
  for (int draw = 0; draw < spec.run_cap; ++draw) {
    std::map<std::string, ParamValue> values;
    for (const auto& info : parameter_table()) {
      const auto it = spaces.find(info.name);
      if (it == spaces.end()) {
        values[info.name] = info.default_value;
        continue;
      }
      CounterRng rng(derive_seed(spec.seed, streams::random_search, static_cast<std::uint64_t>(draw),
                                 fnv1a(info.name)));
      values[info.name] = sample_parameter(info, it->second, rng);
    }
    add_unique(trials, seen, make_trial(std::move(values)), spec.run_cap);
  }
  return trials;
}

}  // namespace

std::vector<Trial> expand_trials(const SweepSpec& spec) {
  const auto spaces = typed_spaces(spec);
  if (spec.method == "grid") return expand_grid(spec, spaces);
  if (spec.method == "random") return expand_random(spec, spaces);
  if (spec.method == "bayes" || spec.method == "tpe") {
    // An adaptive search knows its trials only as it runs; its start-up trials are random
    // search's first draws, so this is what `validate` checks against the data.
    SweepSpec random = spec;
    random.method = "random";
    return expand_random(random, spaces);
  }
  throw SpecError("method '" + spec.method + "' cannot be expanded; allowed: grid, random, bayes, tpe");
}

}  // namespace eegsweep
