#pragma once
// The SQLite results store (schema.sql). Only results/ includes SQLiteCpp. Safe for several
// processes at once: WAL mode, a busy timeout, and BEGIN IMMEDIATE around every read-modify-write,
// so no caller ever sees "database is locked". Within one process a single thread (the
// scheduler's writer) owns a Store.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "engine/model/fit.h"
#include "engine/model/metrics.h"
#include "engine/model/trained_model.h"

namespace eegsweep {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

constexpr int kSchemaVersion = 2;

struct SweepInfo {
  std::int64_t id = 0;
  std::string name, description;
  std::string spec_path, spec_text, identity_hash;
  std::string overrides_json;  // JSON array of the --set strings
  std::string dataset_source, dataset_hash;
  std::int64_t dataset_rows = 0, dataset_features = 0;
  std::vector<std::string> class_names;
  std::string metric_name;
  bool maximize = true;
  std::uint64_t seed = 0;
  std::string engine_version, host, device;
  std::string created_at;  // ISO-8601 UTC, set by the store
};

enum class TrialStatus { pending, running, completed, pruned, failed };
const char* status_name(TrialStatus status);
TrialStatus parse_status(const std::string& name);

struct TrialRecord {
  std::int64_t id = 0;
  std::int64_t sweep_id = 0;
  int number = 0;
  std::string params_json, params_hash;
  std::vector<std::pair<std::string, std::string>> params;  // name → value text (trial_params)
  std::uint64_t seed = 0;
  TrialStatus status = TrialStatus::pending;
  std::string error;
  std::optional<double> cv_mean, cv_std;  // of the sweep's metric over folds
  int folds_done = 0;
  std::string started_at, finished_at;
};

struct FoldRecord {
  int fold = 0;  // from 0
  int train_rows = 0, val_rows = 0;
  int best_epoch = 0;  // from 0
  Metrics val;          // at best_epoch
  ConfusionMatrix confusion;
  std::vector<EpochRecord> epochs;
  double seconds = 0;
  std::string backend_detail;  // Trainer::describe()
  std::string held_out_group;  // leave-one-group-out: the group validated on; else empty
};

struct FinalRunRecord {
  std::int64_t id = 0;
  std::int64_t trial_id = 0;
  std::string kind;  // "final" (after the sweep) or "reproduce"
  int epochs = 0;
  Metrics test;
  ConfusionMatrix confusion;
  std::string weights_hash;
  std::string device;
  double seconds = 0;
  std::string created_at;
  // The trained model itself (issue 11): when set, record_final_run stores it in
  // final_run_models with the run. Not read back by final_runs(); see Store::final_model.
  std::shared_ptr<const TrainedModel> model;
  // Grouped test sets: each test group's confusion matrix (final_run_groups), for per-group
  // scores and a bootstrap over whole groups. Written with the run; not read back by final_run().
  std::vector<std::pair<std::string, ConfusionMatrix>> test_groups;
};

// How a sweep's rows were split (issue 11): every data row's role, fold and group, and each
// fold's held-out group, so that any other tool can recompute on exactly the same rows.
struct SplitRow {
  std::int64_t row = 0;  // index into the sweep's dataset (file order)
  int fold = -1;         // the fold that validates on it; -1 for a test row
  std::string group;     // its group value; empty when the data has none
  std::string label;     // its class name
};
struct SweepSplits {
  std::vector<std::string> held_out_groups;  // per fold; empty strings unless leave-one-group-out
  std::vector<SplitRow> rows;
};

// One group's share of a grouped test set's final run (final_run_groups): its rows, accuracy,
// balanced accuracy (mean recall over the classes the group has) and confusion matrix.
struct FinalRunGroup {
  std::string group;
  std::int64_t rows = 0;
  double accuracy = 0, balanced_accuracy = 0;
  ConfusionMatrix confusion;
};

// The groups one fold validates on (from split_rows), with their row counts.
struct FoldGroup {
  std::string group;
  std::int64_t rows = 0;
};

// One fold of the sweep's linear baseline (issue 11; table baseline_folds, baselines.cpp).
struct BaselineFoldRecord {
  std::string model;  // e.g. "linear_softmax"
  int fold = 0;       // from 0; kBaselineTestFold: all non-test rows → the test rows
  int train_rows = 0, val_rows = 0;
  int epochs = 0;
  Metrics scores;
  ConfusionMatrix confusion;
  std::string weights_hash;
  double seconds = 0;
};
constexpr int kBaselineTestFold = -1;

// Decides whether the process that claimed a running trial is still alive (owner strings are the
// scheduler's, e.g. "host:pid:start:boot"); trials of dead owners are reclaimed.
using OwnerAlive = std::function<bool(const std::string& owner)>;

// One cell of a read-only query: NULL, integer, real or text.
using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;
std::string sql_value_text(const SqlValue& value);  // "" for NULL; reals round-trip

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<SqlValue>> rows;
};

struct LeaderboardQuery {
  std::string sort_by;      // a column (view column or parameter name); empty: rank (best first)
  bool descending = false;  // with sort_by
  int top = 0;              // at most this many rows; 0: all
  std::string where;        // an SQL expression over the columns, e.g. "units >= 64 and accuracy > 0.8"
  double time_limit_seconds = 0;  // stop the query after this long (0: no limit)
};

// read_only: for the verbs that only read (results, show, best, export). Never creates the file
// or its schema, works on read-only media, and SQLite itself refuses any write.
enum class StoreMode { read_write, read_only };

class Store {
 public:
  // Opens or creates the database (and its parent directories); read_only opens an existing one
  // only. A postgresql:// URL (issue 14) opens read-only only: an in-memory SQLite copy of the
  // server's sweeps (results/detail/pg_snapshot.h), read by exactly this code; workers write the
  // server through PgStore (pg_store.h). Throws StoreError naming the file when it is missing (read_only), not a regular file,
  // not a database, damaged (PRAGMA quick_check), or written by a newer schema_version.
  explicit Store(const std::string& path, StoreMode mode = StoreMode::read_write);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const;

  // Returns the id of the newest sweep with the same name and identity hash, or inserts one
  // (always inserts when `fresh`).
  std::int64_t open_sweep(const SweepInfo& info, bool fresh);
  std::optional<SweepInfo> sweep(std::int64_t sweep_id);
  // The newest sweep, optionally by name.
  std::optional<SweepInfo> latest_sweep(const std::string& name = {});

  // Inserts the trials that are not there yet (identity = (sweep, params_hash)), with their
  // trial_params rows. Existing trials keep their ids, numbers and results.
  void add_trials(std::int64_t sweep_id, const std::vector<TrialRecord>& trials);

  // Atomically claims the lowest-numbered trial that is pending, or running under an owner for
  // which owner_alive() is false; marks it running under `owner`. nullopt when none is left.
  std::optional<TrialRecord> claim_trial(std::int64_t sweep_id, const std::string& owner,
                                         const OwnerAlive& owner_alive);
  // Fold numbers already stored for a trial (resume redoes only the others).
  std::vector<int> completed_folds(std::int64_t trial_id);
  // One transaction: the fold, its epochs and its confusion matrix.
  void record_fold(std::int64_t trial_id, const FoldRecord& fold);
  void finish_trial(std::int64_t trial_id, TrialStatus status, const std::string& error,
                    std::optional<double> cv_mean, std::optional<double> cv_std);
  // Back to pending (interrupted before finishing); its stored folds stay.
  void release_trial(std::int64_t trial_id);
  // A "final" run of a trial that already has one is not stored again: returns the existing id.
  std::int64_t record_final_run(const FinalRunRecord& run);

  // Stores the sweep's splits once (split_folds, split_rows); a sweep that has them keeps them.
  void record_splits(std::int64_t sweep_id, const SweepSplits& splits);
  // Each fold's held-out group (leave-one-group-out), by fold; empty when not recorded.
  std::vector<std::string> held_out_groups(std::int64_t sweep_id);
  // The groups each fold validates on, by fold, in name order; empty when the sweep's rows have
  // no groups or its splits were not recorded (a store from before they were).
  std::vector<std::vector<FoldGroup>> fold_groups(std::int64_t sweep_id);
  // A final run's per-group scores, in group name order; empty when its test set is not grouped
  // or the store predates final_run_groups.
  std::vector<FinalRunGroup> final_run_groups(std::int64_t final_run_id);

  std::vector<TrialRecord> trials(std::int64_t sweep_id);
  std::optional<TrialRecord> trial(std::int64_t sweep_id, int number);
  std::vector<FoldRecord> folds(std::int64_t trial_id);  // with epochs and confusion
  // Best completed trial by cv_mean, honouring the sweep's goal; ties → lower number.
  std::optional<TrialRecord> best_trial(std::int64_t sweep_id);
  std::vector<FinalRunRecord> final_runs(std::int64_t sweep_id);
  // The trial's test score after the sweep (kind "final"), if it has one.
  std::optional<FinalRunRecord> final_run(std::int64_t trial_id);
  // The model stored with a final run (final_models.cpp). nullopt when the run has none (runs
  // recorded before models were stored); throws StoreError when the stored weights do not match
  // the run's weights_hash or the layout is inconsistent.
  std::optional<TrainedModel> final_model(std::int64_t final_run_id);
  // The sweep's baseline folds (baselines.cpp): recorded in one transaction; a fold already
  // stored is kept as it is. Read back in (model, fold) order, the test fold (-1) first.
  void record_baseline(std::int64_t sweep_id, const std::vector<BaselineFoldRecord>& folds);
  std::vector<BaselineFoldRecord> baseline(std::int64_t sweep_id);

  // Read-only SQL (`?` parameters bound in order); a statement that would write throws
  // StoreError, as does any SQL error, more than one statement, or running past
  // time_limit_seconds (when > 0; strings and blobs are then also bounded), with SQLite's message.
  QueryResult query(const std::string& sql, const std::vector<SqlValue>& params = {},
                    double time_limit_seconds = 0);
  // The sweep's rows of the `leaderboard` view, then one column per parameter (a number when the
  // value is one, named as the parameter, or "param.NAME" where that is a view column). An
  // unknown sort column or a bad filter (not exactly one expression, an SQL error, or past the
  // time limit) throws StoreError listing the columns.
  QueryResult leaderboard(std::int64_t sweep_id, const LeaderboardQuery& options = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eegsweep
