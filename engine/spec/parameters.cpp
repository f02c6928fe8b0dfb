// The sweepable parameters, declared once. Validation (spec_values.cpp), `--help` and the README
// all read this table, so a new parameter or a changed range is one edit here.

#include "engine/spec/parameters.h"

#include <algorithm>
#include <sstream>

namespace eegsweep {
namespace {

ParameterInfo int_param(std::string name, std::string default_value, double min, double max,
                        std::string help) {
  return {std::move(name), "int", std::move(default_value), min, max, {}, std::move(help)};
}

ParameterInfo float_param(std::string name, std::string default_value, double min, double max,
                          std::string help) {
  return {std::move(name), "float", std::move(default_value), min, max, {}, std::move(help)};
}

ParameterInfo choice_param(std::string name, std::string default_value,
                           std::vector<std::string> choices, std::string help) {
  return {std::move(name), "choice", std::move(default_value), 0, 0, std::move(choices),
          std::move(help)};
}

// Range bounds as people write them: 1000000 for an int, 1e-06 or 0.95 for a float.
std::string bound_text(const ParameterInfo& p, double x) {
  if (p.type == "int") return std::to_string(static_cast<long long>(x));
  std::ostringstream out;
  out << x;
  return out.str();
}

std::string allowed_text(const ParameterInfo& p, const std::string& choice_separator = " | ") {
  if (p.type == "choice") {
    std::string text;
    for (const auto& c : p.choices) text += (text.empty() ? "" : choice_separator) + c;
    return text;
  }
  return bound_text(p, p.min) + " .. " + bound_text(p, p.max);
}

}  // namespace

const std::vector<ParameterInfo>& parameter_table() {
  // Sorted by name: grid expansion and the canonical JSON use this order too.
  static const std::vector<ParameterInfo> table = {
      int_param("batch_size", "32", 1, 65536, "minibatch size (rows per optimizer step)"),
      float_param("dropout", "0.0", 0, 0.95,
                  "dropout rate on the GRU output before the dense head (0 = none)"),
      int_param("epochs", "20", 1, 10000, "maximum number of training epochs"),
      choice_param("head", "last", {"last", "flatten", "mean"},
                   "classifier input: last hidden state, every step flattened (classic Keras), or "
                   "the mean over steps"),
      int_param("hidden_size", "64", 1, 4096, "GRU units per layer"),
      float_param("learning_rate", "0.001", 1e-6, 1, "Adam learning rate"),
      int_param("num_layers", "1", 1, 8, "stacked GRU layers"),
      int_param("patience", "5", 0, 10000,
                "early stopping: epochs without improvement of the metric before stopping "
                "(0 = never stop early)"),
      choice_param("precision", "fp32", {"fp32", "tf32"},
                   "GPU math mode (tf32 uses tensor cores; the CPU always computes in fp32)"),
      int_param("timesteps", "0", 0, 1e6,
                "sequence length: a row of F features becomes timesteps x F/timesteps "
                "(0 = F steps of one feature)"),
      float_param("weight_decay", "0.0", 0, 1, "L2 penalty on the weights (0 = none)"),
  };
  return table;
}

const ParameterInfo* find_parameter(const std::string& name) {
  for (const auto& p : parameter_table())
    if (p.name == name) return &p;
  return nullptr;
}

std::string parameter_table_markdown() {
  std::ostringstream out;
  out << "| parameter | type | default | allowed | description |\n";
  out << "|---|---|---|---|---|\n";
  for (const auto& p : parameter_table())
    out << "| `" << p.name << "` | " << p.type << " | `" << p.default_value << "` | "
        << allowed_text(p, ", ") << " | " << p.help << " |\n";  // "|" would split the cell
  return out.str();
}

std::string parameter_table_text() {
  std::size_t name_width = 0, allowed_width = 0, default_width = 0;
  for (const auto& p : parameter_table()) {
    name_width = std::max(name_width, p.name.size());
    allowed_width = std::max(allowed_width, allowed_text(p).size());
    default_width = std::max(default_width, p.default_value.size() + 2);
  }
  std::ostringstream out;
  out << "Sweepable parameters (under `parameters:`; default in brackets):\n";
  for (const auto& p : parameter_table()) {
    const std::string allowed = allowed_text(p);
    out << "  " << p.name << std::string(name_width - p.name.size() + 2, ' ') << allowed
        << std::string(allowed_width - allowed.size() + 2, ' ') << "[" << p.default_value << "]"
        << std::string(default_width - p.default_value.size(), ' ') << p.help << "\n";
  }
  return out.str();
}

}  // namespace eegsweep
