#pragma once
// The pieces of random search that an adaptive search (engine/search) builds on: typed parameter
// spaces, one draw of one parameter, and a trial made from its values (canonical JSON and hash).

#include <map>
#include <string>

#include "engine/data/random.h"
#include "engine/spec/parameters.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {

// The spec's spaces with every value brought to its parameter's type; throws SpecError for an
// unknown parameter or an empty list.
std::map<std::string, ParameterSpace> typed_spaces(const SweepSpec& spec);

// One draw from `space` (random search's rule: W&B's q_uniform rounding, integers rounded).
ParamValue sample_parameter(const ParameterInfo& info, const ParameterSpace& space, CounterRng& rng);

// A trial of these values (every parameter of the table): canonical JSON and its hash; number 0.
Trial make_trial(std::map<std::string, ParamValue> values);

}  // namespace eegsweep
