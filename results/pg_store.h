#pragma once
// The PostgreSQL results store, written by `sweep worker` processes on many machines (one
// connection each, no pool; its calls may come from several threads of the worker — the
// connection serializes them, a transaction at a time). Same tables and views as the SQLite store (schema_pg.sql); what it
// adds is the unit queue: a (trial, fold) unit is claimed in one statement (FOR UPDATE SKIP
// LOCKED), held under a lease the worker renews, and written only while the claim still holds
// (same owner, same attempt). The read verbs do not use this class: a Store opened read-only on
// a postgresql:// URL reads a snapshot through the SQLite code (pg_snapshot.cpp), and
// `sweep pull` copies a sweep into a SQLite file.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "results/lease_policy.h"
#include "results/store.h"

namespace eegsweep {

namespace store_detail {
class PgConnection;
}

// A claimed (trial, fold) unit. `attempt` identifies this claim: every write carries it.
struct UnitClaim {
  TrialRecord trial;
  int fold = 0;
  std::int64_t attempt = 0;
};

struct UnitCounts {
  int pending = 0, running = 0, done = 0, failed = 0;
  int unfinished() const { return pending + running; }
};

// Which open unit a claim takes first: by trial, then fold (a trial's score is known early), or
// by fold, then trial (fold 1 of every stored trial before any later fold: early termination
// judges every trial on fold 1's split first).
enum class ClaimOrder { trial_major, fold_major };

// Trials to add given the sweep's stored ones (the search's history), run under the sweep's
// advisory lock so that no two workers create the same trial.
using SuggestTrials = std::function<std::vector<TrialRecord>(const std::vector<TrialRecord>&)>;

class PgStore {
 public:
  // Connects and creates the schema when the database has none (under an advisory lock, so that
  // workers starting together create it once). Throws StoreError naming the URL (password
  // redacted): unreachable server, a database that is not an eegsweep store, a newer schema.
  explicit PgStore(const std::string& url);
  ~PgStore();
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  const std::string& name() const;  // the URL without its password

  // As Store::open_sweep, serialized by an advisory lock on the sweep's name.
  std::int64_t open_sweep(const SweepInfo& info, bool fresh);
  // Under the sweep's advisory lock: the stored trials → suggest → the new ones inserted with one
  // pending unit per fold (identity (sweep, params_hash) is UNIQUE besides). Returns how many.
  int generate_trials(std::int64_t sweep_id, int folds, const SuggestTrials& suggest);
  std::vector<TrialRecord> trials(std::int64_t sweep_id);

  // Fails the units whose lease lapsed more than policy.max_retries times (with their trials),
  // then claims the first unit, in (trial, fold) order, that is pending or whose lease
  // lapsed: one UPDATE … FOR UPDATE SKIP LOCKED LIMIT 1. nullopt when none is claimable now.
  // Only units of pending or running trials are claimed (never those of a pruned trial).
  std::optional<UnitClaim> claim_unit(std::int64_t sweep_id, const std::string& owner,
                                      const LeasePolicy& policy,
                                      ClaimOrder order = ClaimOrder::trial_major);
  // Extends the lease; false when the claim no longer holds (taken over, or failed).
  bool renew_lease(const UnitClaim& claim, const std::string& owner, double lease_seconds);
  // One transaction: the fold, its epochs and confusion cells, and the unit marked done — only
  // while the claim holds; false (nothing written) otherwise. When it was the trial's last unit,
  // the trial is completed with `cv` applied to its stored folds.
  using CvStatistics = std::function<std::pair<double, double>(const std::vector<FoldRecord>&)>;
  bool record_unit(const UnitClaim& claim, const std::string& owner, const FoldRecord& fold,
                   const CvStatistics& cv);
  // Completes the trials whose units are all done but which are not completed yet: the worker
  // that recorded the last unit completes it a statement later, or died in between. The final
  // run calls this first, so that it never picks its best trial without one about to complete.
  int complete_done_trials(std::int64_t sweep_id, const CvStatistics& cv);
  // Training failed: the unit and its trial fail with `error`, the trial's other units too.
  bool fail_unit(const UnitClaim& claim, const std::string& owner, const std::string& error);
  // Early termination (pg_pruning.cpp). One transaction, only while the claim holds (false,
  // nothing written, otherwise): `fold` is stored as record_unit stores it (a hyperband-stopped
  // fold with the epochs it trained), the trial becomes `pruned` with `reason` unless it already
  // is (the first reason stays), and its pending units become done without a fold (error "not
  // trained: the trial was pruned"), so nobody claims them. Units of it that other workers are
  // training still record their folds when they finish; the trial stays pruned.
  bool prune_unit(const UnitClaim& claim, const std::string& owner, const FoldRecord& fold,
                  const std::string& reason, const CvStatistics& cv);
  // The stored fold-1 (fold 0) learning curves, epochs 1..`epochs`, of the sweep's trials other
  // than `except_trial_id` that reached `epochs` epochs on fold 1 (any status but failed).
  std::vector<std::vector<EpochRecord>> first_fold_curves(std::int64_t sweep_id,
                                                          std::int64_t except_trial_id, int epochs);

  // Back to pending (a stop request); the attempt is not counted as a lapsed lease.
  void release_unit(const UnitClaim& claim, const std::string& owner);
  // Fails a trial whose setup is impossible, with all its units.
  void fail_trial(std::int64_t trial_id, const std::string& error);

  UnitCounts unit_counts(std::int64_t sweep_id);
  std::vector<FoldRecord> folds(std::int64_t trial_id);  // metrics and best epochs, no epochs/cells
  std::optional<TrialRecord> best_trial(std::int64_t sweep_id);
  std::optional<FinalRunRecord> final_run(std::int64_t trial_id);  // the "final" one
  // With its model (final_run_models) and per-test-group scores (final_run_groups).
  std::int64_t record_final_run(const FinalRunRecord& run);
  // Issue 11's evaluation records, as `sweep run` stores them (pg_evaluation_records.cpp), each
  // under the sweep's records lock, so that workers starting together store them once:
  // the splits, unless the sweep has them (they follow from its identity: the same every time);
  void record_splits(std::int64_t sweep_id, const SweepSplits& splits);
  // the linear baseline: compute() runs and its folds are stored only when the sweep has none
  // yet; the others wait for the lock and find them. Returns the folds computed here (empty when
  // another worker had stored them).
  std::vector<BaselineFoldRecord> record_baseline_once(
      std::int64_t sweep_id, const std::function<std::vector<BaselineFoldRecord>()>& compute);

  // A session advisory lock that lets one worker run the final run; false when another holds it.
  bool try_lock_final_run(std::int64_t sweep_id);
  void unlock_final_run(std::int64_t sweep_id);

 private:
  void complete_trial(std::int64_t trial_id, const CvStatistics& cv);  // cv over its stored folds

  std::unique_ptr<store_detail::PgConnection> pg_;
};

// Copies every sweep named `sweep_name` (all sweeps when empty) with its trials, folds, epochs,
// confusion cells, final runs (with their models and group scores), splits, baseline and units
// from the PostgreSQL store at `url` into the SQLite file `sqlite_path` (created; refused when it
// exists unless `replace`). Ids are kept, so the file reads exactly as the server does. Returns
// the number of sweeps copied; throws StoreError.
int pull_sweeps(const std::string& url, const std::string& sqlite_path,
                const std::string& sweep_name, bool replace);

}  // namespace eegsweep
