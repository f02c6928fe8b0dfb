#pragma once
// After the search: the best trial retrained on all non-test rows and scored once on the held-out
// test rows. `reproduce` runs exactly the same function from the stored spec and seed.

#include <string>
#include <vector>

#include "engine/sched/sweep_plan.h"
#include "results/store.h"

namespace eegsweep {

// Epochs for the final run: the median (the lower middle one for an even count) of the folds'
// best epochs, counted from 1.
int final_epochs(const std::vector<FoldRecord>& folds);

FinalRunRecord run_final(const SweepSpec& spec, const SweepPlan& plan, Backend& backend,
                         const TrialRecord& trial, const std::vector<FoldRecord>& folds,
                         const std::string& kind, const StopRequested& stop_requested = {});

}  // namespace eegsweep
