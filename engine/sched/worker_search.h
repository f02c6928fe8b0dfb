#pragma once
// The search as `sweep worker` asks it: whenever a worker finds no unit to claim, under the
// sweep's advisory lock (PgStore::generate_trials), with every trial stored so far.
//
// grid / random: every trial at once (with or without early_terminate: all are stored at the
// start, so that the fold-major claim order trains fold 1 of every trial first).
// bayes / tpe: ONE trial per question, from the same TPE as `sweep run` (rounds.h, tpe.h), with
// the stored history — completed trials by their CV score, pruned ones ranked after them, pending
// and running ones as constant liars — and a suggestion equal to a stored trial redrawn; nothing
// once run_cap trials are stored. There are no rounds: a worker never waits for other workers'
// trials, so the history a suggestion sees depends on which trials other workers have finished
// by then. What is guaranteed: exactly run_cap distinct trials (UNIQUE (sweep, params_hash)
// besides), numbered 1..run_cap; trials 1..10 are random search's first ten draws (TPE's start-up
// trials); a single worker with -j 1 runs the trials `sweep run -j 1` runs, in the same order.
// Not guaranteed with several workers (or -j > 1): which trials after the tenth are suggested.

#include <memory>

#include "engine/sched/trial_source.h"

namespace eegsweep {

std::unique_ptr<TrialSource> make_worker_trial_source(const SweepSpec& spec);

}  // namespace eegsweep
