#include "engine/spec/parameters.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "engine/spec/sweep_spec.h"

namespace eegsweep {
namespace {

ParameterInfo int_param(std::string name, int TrialParams::*field, std::int64_t default_value,
                        double min, double max, std::string help) {
  return {std::move(name), "int", default_value, min, max, {}, std::move(help), field, {}};
}

ParameterInfo float_param(std::string name, double TrialParams::*field, double default_value,
                          double min, double max, std::string help) {
  return {std::move(name), "float", default_value, min, max, {}, std::move(help), field, {}};
}

ParameterInfo choice_param(std::string name, std::string TrialParams::*field,
                           std::string default_value, std::vector<std::string> choices,
                           std::string help) {
  return {std::move(name), "choice", std::move(default_value), 0, 0, std::move(choices),
          std::move(help), field, {}};
}

ParameterInfo spelled(ParameterInfo p, std::vector<std::string> other_spellings) {
  p.other_spellings = std::move(other_spellings);
  return p;
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

void ParameterInfo::set(TrialParams& params, const ParamValue& value) const {
  std::visit(
      [&](auto member) {
        using Field = std::remove_reference_t<decltype(params.*member)>;
        if constexpr (std::is_same_v<Field, int>) {
          params.*member = static_cast<int>(std::get<std::int64_t>(value));
        } else if constexpr (std::is_same_v<Field, double>) {
          params.*member = std::get<double>(value);
        } else {
          params.*member = std::get<std::string>(value);
        }
      },
      field);
}

const std::vector<ParameterInfo>& parameter_table() {
  static const std::vector<ParameterInfo> table = {
      spelled(int_param("batch_size", &TrialParams::batch_size, 32, 1, 65536,
                        "minibatch size (rows per optimizer step)"),
              {"bs", "batch", "batchsize", "minibatch_size", "mini_batch_size"}),
      spelled(float_param("dropout", &TrialParams::dropout, 0.0, 0, 0.95,
                          "dropout rate on the GRU output before the dense head (0 = none)"),
              {"dropout_rate", "drop_rate", "dropout_prob", "p_dropout"}),
      spelled(int_param("epochs", &TrialParams::epochs, 20, 1, 10000, "maximum number of training epochs"),
              {"num_epochs", "n_epochs", "max_epochs", "epoch", "nb_epoch", "training_epochs"}),
      choice_param("head", &TrialParams::head, "last", {"last", "flatten", "mean"},
                   "classifier input: last hidden state, every step flattened (classic Keras), or "
                   "the mean over steps"),
      spelled(int_param("hidden_size", &TrialParams::hidden_size, 64, 1, 4096, "GRU units per layer"),
              {"hidden_dim", "hidden_units", "units", "n_hidden", "num_hidden", "num_units", "hidden",
               "rnn_units", "gru_units", "hidden_layer_size"}),
      spelled(float_param("learning_rate", &TrialParams::learning_rate, 0.001, 1e-6, 1, "Adam learning rate"),
              {"lr", "learningrate", "learning-rate", "learning_rate_init", "init_lr", "initial_lr"}),
      spelled(int_param("num_layers", &TrialParams::num_layers, 1, 1, 8, "stacked GRU layers"),
              {"n_layers", "nlayers", "layers", "num_rnn_layers", "num_gru_layers", "rnn_layers", "depth"}),
      spelled(int_param("patience", &TrialParams::patience, 5, 0, 10000,
                        "early stopping: epochs without improvement of the metric before stopping "
                        "(0 = never stop early)"),
              {"early_stopping_patience", "es_patience"}),
      choice_param("precision", &TrialParams::precision, "fp32", {"fp32", "tf32"},
                   "GPU math mode (tf32 uses tensor cores; the CPU always computes in fp32)"),
      spelled(int_param("timesteps", &TrialParams::timesteps, 0, 0, 1e6,
                        "sequence length: a row of F features becomes timesteps x F/timesteps "
                        "(0 = F steps of one feature)"),
              {"time_steps", "seq_len", "seq_length", "sequence_length", "n_steps"}),
      spelled(float_param("weight_decay", &TrialParams::weight_decay, 0.0, 0, 1,
                          "L2 penalty on the weights (0 = none)"),
              {"wd", "l2", "l2_reg", "l2_lambda", "weight_decay_rate"}),
  };
  return table;
}

const ParameterInfo* find_parameter(const std::string& name) {
  for (const auto& p : parameter_table())
    if (p.name == name) return &p;
  return nullptr;
}

TrialParams default_trial_params() {
  TrialParams params;
  for (const auto& p : parameter_table()) p.set(params, p.default_value);
  return params;
}

TrialParams trial_params_from_json(const std::string& params_json) {
  const auto json = nlohmann::json::parse(params_json);
  TrialParams params = default_trial_params();
  for (const auto& [key, value] : json.items()) {
    const ParameterInfo* info = find_parameter(key);
    if (info == nullptr) throw std::runtime_error("stored trial has an unknown parameter '" + key + "'");
    if (info->type == "int") info->set(params, value.get<std::int64_t>());
    else if (info->type == "float") info->set(params, value.get<double>());
    else info->set(params, value.get<std::string>());
  }
  return params;
}

std::string parameter_table_markdown() {
  std::ostringstream out;
  out << "| parameter | type | default | allowed | description |\n";
  out << "|---|---|---|---|---|\n";
  for (const auto& p : parameter_table())
    out << "| `" << p.name << "` | " << p.type << " | `" << p.default_text() << "` | "
        << allowed_text(p, ", ") << " | " << p.help << " |\n";  // "|" would split the cell
  return out.str();
}

std::string parameter_table_text() {
  std::size_t name_width = 0, allowed_width = 0, default_width = 0;
  for (const auto& p : parameter_table()) {
    name_width = std::max(name_width, p.name.size());
    allowed_width = std::max(allowed_width, allowed_text(p).size());
    default_width = std::max(default_width, p.default_text().size() + 2);
  }
  std::ostringstream out;
  out << "Sweepable parameters (under `parameters:`; default in brackets):\n";
  for (const auto& p : parameter_table()) {
    const std::string allowed = allowed_text(p);
    const std::string default_text = p.default_text();
    out << "  " << p.name << std::string(name_width - p.name.size() + 2, ' ') << allowed
        << std::string(allowed_width - allowed.size() + 2, ' ') << "[" << default_text << "]"
        << std::string(default_width - default_text.size(), ' ') << p.help << "\n";
  }
  return out.str();
}

}  // namespace eegsweep
