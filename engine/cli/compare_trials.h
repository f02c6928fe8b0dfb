#pragma once
// `sweep results --compare A B`: two trials' fold scores side by side, and a paired t-test over
// the folds (both trials were scored on the same folds, so fold-to-fold difficulty cancels).

#include "results/store.h"

namespace eegsweep::cli {

// Prints the comparison; returns the exit status. Throws std::invalid_argument (exit 64) for an
// unknown or unfinished trial.
int compare_trials(Store& store, const SweepInfo& sweep, int trial_a, int trial_b);

}  // namespace eegsweep::cli
