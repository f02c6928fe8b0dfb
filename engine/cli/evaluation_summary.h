#pragma once
// `validate`'s account of how a sweep will be evaluated: which rows and groups the test set holds,
// how the folds are made (and which group each leaves out), and how each fold's epoch is chosen.

#include <string>

#include "engine/sched/sweep_plan.h"

namespace eegsweep::cli {

std::string evaluation_summary(const SweepSpec& spec, const SweepPlan& plan);

}  // namespace eegsweep::cli
