#pragma once
// Private to engine/spec: one `parameters.NAME` entry → ParameterSpace, every value and bound
// checked against the parameter table; and the typed form of a parameter value.

#include "engine/spec/parameters.h"
#include "engine/spec/detail/spec_node.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::spec_detail {

// `random` is the sweep's method: distributions and probabilities need random search.
ParameterSpace read_parameter_space(const MapEntry& entry, const ParameterInfo& info, bool random);

// A value read as the parameter's type (int → int64, float → double, choice → string), in range.
ParamValue read_param_value(const SpecNode& node, const std::string& path, const ParameterInfo& info);

// Brings a value to the parameter's type (an int given for a float parameter becomes a double)
// and checks its range; throws SpecError naming the parameter. For SweepSpecs built in code.
ParamValue coerce_param_value(const ParameterInfo& info, const ParamValue& value);

}  // namespace eegsweep::spec_detail
