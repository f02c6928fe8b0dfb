#pragma once
// The work of one (trial, fold) unit on a worker thread: train, and describe what happened. It
// writes nothing: the result goes back to the runner, the one writer to the store.

#include <string>

#include "engine/model/backend.h"
#include "engine/sched/sweep_plan.h"
#include "engine/sched/unit_plan.h"
#include "results/store.h"

namespace eegsweep {

struct UnitResult {
  Unit unit;
  enum class Outcome { completed, failed, interrupted } outcome = Outcome::completed;
  std::string error;    // failed: "fold N: why"
  FoldRecord record;    // completed
};

// Trains `setup` on the unit's fold from the fold's seed. Never throws: a failure is an outcome,
// and a stop request (stop_signal.h) ends training at the next epoch boundary as `interrupted`.
UnitResult train_unit(const SweepSpec& spec, const SweepPlan& plan, Backend& backend,
                      const Unit& unit, TrialSetup setup);

}  // namespace eegsweep
