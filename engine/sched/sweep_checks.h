#pragma once
// Checks that need the data, run before anything is trained or stored, so that `validate` and
// `run` reject a sweep that could not work (exit 65) instead of failing its trials one by one.

#include <vector>

#include "engine/data/dataset.h"
#include "engine/sched/sweep_plan.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {

// A classifier needs two classes; with Muse recordings the class is the word in each file name,
// so the message says which word every recording carried. Throws DataError.
void check_muse_classes(const SweepSpec& spec, const Dataset& data);

// Throws DataError naming parameters.timesteps, the offending values and the feature count when a
// trial's timesteps does not divide the data's features.
void check_timesteps_fit(const SweepSpec& spec, const std::vector<Trial>& trials, const Dataset& data);

// After the held-out split: every class keeps at least one row per fold (stratified folds), and
// grouped folds have a group per fold. Throws DataError with the real numbers: rows or groups in
// the data, how many went to the test split, how many remain.
void check_folds_after_holdout(const SweepSpec& spec, const Dataset& data, const HoldoutSplit& holdout);

}  // namespace eegsweep
