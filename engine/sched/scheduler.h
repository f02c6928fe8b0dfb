#pragma once
// Runs a sweep: (trial, fold) units on the backend's slots, one thread (the caller's) as the only
// writer to the results store, resume by parameter hash, then the final run of the best trial.

#include <cstdint>
#include <optional>
#include <string>

#include "engine/spec/sweep_spec.h"
#include "results/store.h"

namespace eegsweep {

struct RunOptions {
  bool fresh = false;        // start a new sweep row instead of resuming
  int max_concurrent = 0;    // 0 = spec.max_concurrent, else the backend's concurrency
  bool final_run = true;     // retrain the best trial and score it on the test rows
  bool interactive = false;  // a status line instead of log lines
  // > 0: after this many units are stored, stop exactly as Ctrl-C does (in-flight units are
  // dropped at their next epoch boundary, unfinished trials released). For time-boxed runs, and
  // so that tests can interrupt a sweep at a chosen point instead of at a chosen time.
  int stop_after_units = 0;
};

struct RunSummary {
  std::string db_path;
  std::int64_t sweep_id = 0;
  std::string device;
  int trials_total = 0, completed = 0, failed = 0, unfinished = 0;
  int units_trained = 0;  // (trial, fold) units trained and stored by this run
  bool interrupted = false;
  std::optional<TrialRecord> best;
  std::optional<FinalRunRecord> final_run;
  std::string final_run_error;  // why the final run failed, when it did
};

// The database a sweep writes: spec.results_path, else results/<name>.db in the working directory.
std::string results_database_path(const SweepSpec& spec);

// "host:pid" of this process, and whether such an owner still runs (trials of dead owners are
// reclaimed on resume).
std::string this_process_owner();
bool owner_is_alive(const std::string& owner);

// Throws DataError/SpecError/StoreError/std::runtime_error for problems that stop the whole
// sweep (bad data, unusable device); a failing trial is recorded and the sweep goes on.
RunSummary run_sweep(const SweepSpec& spec, const RunOptions& options);

}  // namespace eegsweep
