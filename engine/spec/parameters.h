#pragma once
// The sweepable parameters, each declared once (parameters.cpp): name, type, default, range or
// choices, description, and the TrialParams field it sets. That one declaration drives parsing and
// validation of `parameters:`, grid and random expansion, the stored JSON and its way back into
// TrialParams (resume, reproduce, the final run), `sweep run --help` and the README's table.
//
// A new parameter: a field in TrialParams, one line in parameter_table(), and its use in
// trial_setup (engine/sched/sweep_plan.cpp) and the backends.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace eegsweep {

using ParamValue = std::variant<std::int64_t, double, std::string>;
std::string to_string(const ParamValue& value);  // ints as "64", doubles round-trip ("0.001", "1.0")

// One trial's parameters, typed. The defaults are the declarations' (default_trial_params()):
// a TrialParams built any other way starts from zeros.
struct TrialParams {
  int batch_size = 0;
  double dropout = 0;
  int epochs = 0;
  std::string head;
  int hidden_size = 0;
  double learning_rate = 0;
  int num_layers = 0;
  int patience = 0;
  std::string precision;  // fp32 | tf32 (GPU)
  int timesteps = 0;      // 0 = every feature its own step (timesteps = feature count)
  double weight_decay = 0;
};

struct ParameterInfo {
  using Field = std::variant<int TrialParams::*, double TrialParams::*, std::string TrialParams::*>;

  std::string name;
  std::string type;  // "int", "float", "choice"
  ParamValue default_value;
  double min = 0, max = 0;           // inclusive range, for int/float
  std::vector<std::string> choices;  // for choice
  std::string help;
  Field field;
  // How other tools' sweep files (W&B, Keras, PyTorch scripts) often name it: never accepted, but
  // answered with "did you mean NAME" and the corrected line.
  std::vector<std::string> other_spellings;

  std::string default_text() const { return to_string(default_value); }
  // `value` must have the parameter's type (int64 for int, double for float, text for choice).
  void set(TrialParams& params, const ParamValue& value) const;
};

// Sorted by name: grid expansion and the canonical JSON use this order too.
const std::vector<ParameterInfo>& parameter_table();
const ParameterInfo* find_parameter(const std::string& name);
std::string parameter_table_markdown();  // for the README
std::string parameter_table_text();      // for --help

// Every field at its declared default.
TrialParams default_trial_params();
// A trial's stored canonical JSON back into TrialParams: parameters missing from it (stored by an
// older build) take their defaults; an unknown one is an error (the store and this build disagree).
TrialParams trial_params_from_json(const std::string& params_json);

}  // namespace eegsweep
