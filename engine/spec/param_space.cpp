// Search spaces of single parameters, in the forms W&B sweep files use: value, values (with
// probabilities), or a distribution with min/max (see the sweep file reference in sweep_spec.h).

#include "engine/spec/detail/param_space.h"

#include <algorithm>
#include <cmath>

#include "engine/spec/detail/node_reader.h"

namespace eegsweep::spec_detail {
namespace {

const std::vector<std::string> entry_keys = {"value", "values", "probabilities", "distribution",
                                             "min", "max", "q"};
const std::vector<std::string> supported_distributions = {
    "uniform", "int_uniform", "log_uniform_values", "q_uniform", "categorical", "constant"};
// W&B distributions we know but do not sample yet: a clearer message than "unknown".
const std::vector<std::string> later_distributions = {
    "q_log_uniform_values", "inv_log_uniform_values", "q_log_uniform", "inv_log_uniform",
    "normal", "q_normal", "log_normal", "q_log_normal", "beta", "q_beta"};

bool contains(const std::vector<std::string>& list, const std::string& word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

ParameterSpace::Kind distribution_kind(const std::string& name) {
  if (name == "uniform") return ParameterSpace::Kind::uniform;
  if (name == "int_uniform") return ParameterSpace::Kind::int_uniform;
  if (name == "log_uniform_values") return ParameterSpace::Kind::log_uniform_values;
  return ParameterSpace::Kind::q_uniform;
}

// A distribution bound: an integer for int parameters and int_uniform, a number otherwise;
// always inside the parameter's allowed range.
double read_bound(const SpecNode& node, const std::string& path, const ParameterInfo& info,
                  bool integer) {
  if (integer || info.type == "int")
    return static_cast<double>(read_int(node, path, static_cast<std::int64_t>(std::ceil(info.min)),
                                        static_cast<std::int64_t>(std::floor(info.max))));
  return read_double(node, path, info.min, info.max);
}

std::vector<double> read_probabilities(const SpecNode& node, const std::string& path,
                                       std::size_t count, const Location& values_location) {
  if (node.kind != SpecNode::Kind::sequence)
    fail(node.location, path, "expected a list of numbers, got " + describe(node));
  if (node.items.size() != count)
    fail(node.location, path,
         "has " + std::to_string(node.items.size()) + " entries but values (at " +
             values_location.str() + ") has " + std::to_string(count));
  std::vector<double> p;
  double sum = 0;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    p.push_back(read_double(node.items[i], path + "[" + std::to_string(i) + "]", 0, 1));
    sum += p.back();
  }
  if (std::abs(sum - 1.0) > 1e-6)
    fail(node.location, path, "the probabilities sum to " + format_double(sum) + ", not 1");
  return p;
}

}  // namespace

ParamValue read_param_value(const SpecNode& node, const std::string& path, const ParameterInfo& info) {
  if (info.type == "int")
    return read_int(node, path, static_cast<std::int64_t>(info.min),
                    static_cast<std::int64_t>(info.max));
  if (info.type == "float") return read_double(node, path, info.min, info.max);
  return read_choice(node, path, info.choices);
}

ParamValue coerce_param_value(const ParameterInfo& info, const ParamValue& value) {
  const auto bad = [&](const std::string& problem) -> ParamValue {
    throw SpecError("parameter '" + info.name + "': " + problem);
  };
  if (info.type == "choice") {
    const auto* s = std::get_if<std::string>(&value);
    if (s == nullptr || !contains(info.choices, *s))
      return bad("'" + to_string(value) + "' is not one of " + join(info.choices));
    return value;
  }
  if (std::holds_alternative<std::string>(value))
    return bad("expected a number, got '" + std::get<std::string>(value) + "'");
  const double x = std::holds_alternative<double>(value)
                       ? std::get<double>(value)
                       : static_cast<double>(std::get<std::int64_t>(value));
  if (!(x >= info.min && x <= info.max))
    return bad(to_string(value) + " is out of range " + format_double(info.min) + " .. " +
               format_double(info.max));
  if (info.type == "float") return x;
  if (std::holds_alternative<double>(value) && x != std::floor(x))
    return bad("expected an integer, got " + to_string(value));
  return static_cast<std::int64_t>(x);
}

ParameterSpace read_parameter_space(const MapEntry& entry, const ParameterInfo& info, bool random) {
  const std::string path = "parameters." + entry.key;
  const SpecNode& node = entry.node();
  if (node.kind != SpecNode::Kind::map)
    fail(node.location, path,
         "expected a mapping such as {value: 64}, {values: [32, 64]} or {distribution: uniform, "
         "min: 0.0, max: 0.5}, got " + describe(node));
  // W&B features with no counterpart yet: say so rather than "unknown key".
  if (const MapEntry* nested = find_key(node, "parameters"))
    fail(nested->key_location, child_path(path, "parameters"),
         "nested parameter groups are not supported yet; list each parameter directly under "
         "parameters:");
  for (const char* key : {"mu", "sigma"})
    if (const MapEntry* e = find_key(node, key))
      fail(e->key_location, child_path(path, key), "normal distributions are not supported yet",
           join(entry_keys));
  const MapReader map(node, path, entry_keys);

  std::string distribution;
  const MapEntry* distribution_entry = map.entry("distribution");
  if (distribution_entry != nullptr) {
    const SpecNode& d = distribution_entry->node();
    const std::string d_path = map.path_of("distribution");
    distribution = read_string(d, d_path);
    if (distribution == "log_uniform")
      fail(d.location, d_path,
           "log_uniform takes min and max as natural-log exponents (W&B), so min: 0.0001 would "
           "mean e^0.0001; use log_uniform_values with the actual values, e.g. min: 0.0001, "
           "max: 0.1",
           join(supported_distributions));
    if (contains(later_distributions, distribution))
      fail(d.location, d_path, "distribution '" + distribution + "' is not supported yet",
           join(supported_distributions));
    if (!contains(supported_distributions, distribution))
      fail(d.location, d_path,
           "unknown distribution '" + distribution + "'" +
               did_you_mean(distribution, supported_distributions),
           join(supported_distributions));
  }

  const bool has_value = map.get("value") != nullptr;
  const bool has_values = map.get("values") != nullptr;
  const bool has_range = map.get("min") != nullptr || map.get("max") != nullptr ||
                         (!distribution.empty() && distribution != "categorical" &&
                          distribution != "constant");
  if (int(has_value) + int(has_values) + int(has_range) != 1)
    fail(node.location, path,
         has_value || has_values || has_range
             ? "give only one of value, values, or a distribution with min and max"
             : "give value, values, or a distribution with min and max");
  if (distribution == "categorical" && !has_values)
    fail(distribution_entry->node().location, map.path_of("distribution"),
         "categorical needs values: [...]");
  if (distribution == "constant" && !has_value)
    fail(distribution_entry->node().location, map.path_of("distribution"),
         "constant needs value: ...");
  if (const MapEntry* p = map.entry("probabilities"); p != nullptr && !has_values)
    fail(p->key_location, map.path_of("probabilities"), "probabilities go with values: [...]");
  if (const MapEntry* q = map.entry("q"); q != nullptr && distribution != "q_uniform")
    fail(q->key_location, map.path_of("q"), "q applies only to distribution: q_uniform");

  ParameterSpace space;
  if (has_value) {
    space.kind = ParameterSpace::Kind::constant;
    space.values.push_back(read_param_value(map.require("value"), map.path_of("value"), info));
    return space;
  }

  if (has_values) {
    const SpecNode& list = map.require("values");
    const std::string list_path = map.path_of("values");
    if (list.kind != SpecNode::Kind::sequence)
      fail(list.location, list_path, "expected a list such as [32, 64], got " + describe(list));
    if (list.items.empty()) fail(list.location, list_path, "the list is empty");
    space.kind = ParameterSpace::Kind::values;
    for (std::size_t i = 0; i < list.items.size(); ++i)
      space.values.push_back(
          read_param_value(list.items[i], list_path + "[" + std::to_string(i) + "]", info));
    if (const MapEntry* p = map.entry("probabilities")) {
      if (!random)
        fail(p->key_location, map.path_of("probabilities"),
             "probabilities apply only to method: random (grid search tries every value)");
      space.probabilities =
          read_probabilities(p->node(), map.path_of("probabilities"), list.items.size(), list.location);
    }
    return space;
  }

  // A distribution.
  const Location& where = distribution_entry != nullptr ? distribution_entry->key_location
                          : map.entry("min") != nullptr ? map.entry("min")->key_location
                                                        : map.entry("max")->key_location;
  if (info.type == "choice")
    fail(where, path, "'" + info.name + "' takes names, not a distribution: use value or values",
         join(info.choices));
  if (!random)
    fail(where, path,
         "grid search needs value or values (as in W&B, a distribution can only be sampled by "
         "method: random)");
  const SpecNode& min_node = map.require("min");
  const SpecNode& max_node = map.require("max");
  if (distribution.empty())  // W&B's inference: integer bounds → int_uniform, else uniform.
    distribution = parse_int(min_node) && parse_int(max_node) ? "int_uniform" : "uniform";
  space.kind = distribution_kind(distribution);
  const bool integer_bounds = space.kind == ParameterSpace::Kind::int_uniform;
  space.min = read_bound(min_node, map.path_of("min"), info, integer_bounds);
  space.max = read_bound(max_node, map.path_of("max"), info, integer_bounds);
  if (space.max < space.min)
    fail(max_node.location, map.path_of("max"),
         "max (" + format_double(space.max) + ") is below min (" + format_double(space.min) + ")");
  if (space.kind == ParameterSpace::Kind::log_uniform_values && space.min <= 0)
    fail(min_node.location, map.path_of("min"), "log_uniform_values needs min > 0");
  if (space.kind == ParameterSpace::Kind::q_uniform) {
    if (const SpecNode* q = map.get("q")) {
      const std::string q_path = map.path_of("q");
      space.q = info.type == "int" ? static_cast<double>(read_int(*q, q_path, 1, 1000000000))
                                   : read_double(*q, q_path, 1e-12, 1e12);
    }
    const double first = std::ceil(space.min / space.q - 1e-9) * space.q;
    if (first > space.max * (1 + 1e-12) + 1e-12)
      fail(node.location, path,
           "no multiple of q = " + format_double(space.q) + " lies between min and max");
  }
  return space;
}

}  // namespace eegsweep::spec_detail
