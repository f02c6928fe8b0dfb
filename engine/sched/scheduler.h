#pragma once
// Runs a sweep: (trial, fold) units on the backend's slots, one thread (the caller's) as the only
// writer to the results store, resume by parameter hash, then the final run of the best trial.
// This is the orchestration; the parts are sweep_plan.h (splits), trial_source.h (the search),
// unit_plan.h (what is ready), runner.h (claims, dispatches, records) and final_run.h.

#include <cstdint>
#include <optional>
#include <string>

#include "engine/data/dataset.h"
#include "engine/spec/sweep_spec.h"
#include "results/store.h"

namespace eegsweep {

struct RunOptions {
  bool fresh = false;        // start a new sweep row instead of resuming
  // Units trained at once: 0 = spec.max_concurrent, else the backend's concurrency(). More than
  // the backend's max_concurrency() is reduced to it, with a log line.
  int max_concurrent = 0;
  bool final_run = true;     // retrain the best trial and score it on the test rows
  bool interactive = false;  // a status line instead of log lines
  // > 0: after this many units are stored, stop exactly as Ctrl-C does (in-flight units are
  // dropped at their next epoch boundary, unfinished trials released). For time-boxed runs, and
  // so that tests can interrupt a sweep at a chosen point instead of at a chosen time.
  int stop_after_units = 0;
  // Claims hold leases renewed by heartbeat (issue 14): a trial whose lease ran out is taken over
  // by any process sharing the file, on any host; past max_retries lapses it fails.
  LeasePolicy lease;
};

struct RunSummary {
  std::string db_path;
  std::int64_t sweep_id = 0;
  std::string device;
  int trials_total = 0, completed = 0, failed = 0, unfinished = 0;
  int pruned = 0;  // stopped early by early_terminate (issue 12)
  int units_trained = 0;  // (trial, fold) units trained and stored by this run
  bool interrupted = false;
  std::optional<TrialRecord> best;
  std::optional<FinalRunRecord> final_run;
  std::string final_run_error;  // why the final run failed, when it did
};

// The sweep's row as `run` and `worker` store it (identity, dataset, host, device).
SweepInfo sweep_info(const SweepSpec& spec, const Dataset& data, const std::string& device);

// The database a sweep writes: spec.results_path, else results/<name>.db in the working directory.
std::string results_database_path(const SweepSpec& spec);

// Chooses the backend, loads the data, plans the splits, opens the sweep in the store, runs its
// units (runner.h) and then the final run. Throws DataError/SpecError/StoreError/
// std::runtime_error (WorkerStartError when not one worker thread starts) for problems that stop
// the whole sweep (bad data, unusable device); a failing trial is recorded and the sweep goes on.
RunSummary run_sweep(const SweepSpec& spec, const RunOptions& options);

}  // namespace eegsweep
