#pragma once
// The one declarative table of sweepable parameters: it drives validation, `sweep run --help`
// and the README's reference table.

#include <string>
#include <vector>

namespace eegsweep {

struct ParameterInfo {
  std::string name;
  std::string type;  // "int", "float", "choice"
  std::string default_value;
  double min = 0, max = 0;           // inclusive range, for int/float
  std::vector<std::string> choices;  // for choice
  std::string help;
};

const std::vector<ParameterInfo>& parameter_table();
const ParameterInfo* find_parameter(const std::string& name);
std::string parameter_table_markdown();  // for the README
std::string parameter_table_text();      // for --help

}  // namespace eegsweep
