#pragma once
// `sweep worker`: one process of many, on any machine, that pulls (trial, fold) units from the
// PostgreSQL store until none is left. It claims a unit under a lease, trains it on a thread,
// renews the lease by heartbeat meanwhile, and records the fold only while its claim still holds;
// a unit whose worker died is reclaimed by another once the lease runs out. Trial generation and
// the final run happen under advisory locks, so any number of workers may start at once.

#include <cstdint>
#include <optional>
#include <string>

#include "engine/spec/sweep_spec.h"
#include "results/pg_store.h"

namespace eegsweep {

struct WorkerOptions {
  std::string db_url;   // postgresql://…
  LeasePolicy lease;    // lease length and lapses allowed
  int concurrency = 1;  // units this process trains at once
  bool final_run = true;
  int stop_after_units = 0;  // > 0: stop as SIGTERM would once this many units are recorded
  bool interactive = false;
};

struct WorkerSummary {
  std::int64_t sweep_id = 0;
  std::string device;
  int units_recorded = 0;  // trained and stored by this worker
  int units_refused = 0;   // trained, but the lease had been taken over: nothing written
  int units_failed = 0;    // training failed (the trial is failed)
  int trials_pruned = 0;   // stopped by this worker's units (hyperband or the forgiving rule)
  bool interrupted = false;  // stopped by a signal: its claims were released
  UnitCounts left;           // the sweep's units when this worker stopped
  bool final_run_recorded = false;  // by this worker
  std::string final_run_error;
};

// Throws DataError/SpecError/StoreError for problems that stop the worker (bad data, an
// unreachable server); its claims are released first where the server still answers.
WorkerSummary run_worker(const SweepSpec& spec, const WorkerOptions& options);

}  // namespace eegsweep
