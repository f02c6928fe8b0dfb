#pragma once
// `sweep worker`'s share of issue 11's evaluation records, so that a sweep run by workers stores
// what `sweep run` stores: the sweep's splits (split_folds, split_rows) and its linear baseline
// on the same folds (baseline_folds). Both are stored once per sweep, whichever worker gets the
// sweep's records lock first; the baseline is computed by that worker only (the others wait for
// the lock, then find it). The final run's model and group scores go with the final run itself
// (PgStore::record_final_run).

#include <cstdint>

#include "engine/sched/progress.h"
#include "engine/sched/sweep_plan.h"
#include "results/pg_store.h"

namespace eegsweep {

void record_cluster_evaluation(const SweepSpec& spec, const SweepPlan& plan, PgStore& store,
                               std::int64_t sweep_id, Progress& progress);

}  // namespace eegsweep
