#pragma once
// The work of one (trial, fold) unit on a worker thread: train, and describe what happened. It
// writes nothing: the result goes back to the runner, the one writer to the store.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/backend.h"
#include "engine/sched/sweep_plan.h"
#include "engine/sched/unit_plan.h"
#include "results/store.h"

namespace eegsweep {

struct UnitResult {
  Unit unit;
  enum class Outcome { completed, failed, interrupted, pruned } outcome = Outcome::completed;
  std::string error;    // failed: "fold N: why"; pruned: what stopped it
  FoldRecord record;    // completed; pruned: the epochs trained before it stopped
};

// Trains `setup` on the unit's fold from the fold's seed. Never throws: a failure is an outcome,
// and a stop request (stop_signal.h) ends training at the next epoch boundary as `interrupted`.
// `prune_check`, asked after every epoch with the history so far, returns why the trial stops
// (an early-termination rule), or nothing to go on.
using PruneCheck = std::function<std::optional<std::string>(const std::vector<EpochRecord>&)>;
UnitResult train_unit(const SweepSpec& spec, const SweepPlan& plan, Backend& backend,
                      const Unit& unit, TrialSetup setup, const PruneCheck& prune_check = {});

}  // namespace eegsweep
