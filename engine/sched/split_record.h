#pragma once
// The sweep's splits as the store keeps them (split_rows, split_folds): every row's fold or test
// membership, its group and class, and each fold's held-out group.

#include "engine/sched/sweep_plan.h"
#include "results/store.h"

namespace eegsweep {

SweepSplits sweep_splits(const SweepPlan& plan);

}  // namespace eegsweep
