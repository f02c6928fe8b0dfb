#pragma once
// Internal to results/: the rows of issue 11's evaluation tables (split_folds, split_rows,
// baseline_folds, final_run_groups, final_run_models) built once from the records, and written
// by either store. The SQLite store (`sweep run`) and the PostgreSQL store (`sweep worker`) thus
// store the same values by construction: only binding a cell differs between them.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "results/store.h"

namespace SQLite {
class Database;
}

namespace eegsweep::store_detail {

class PgConnection;

// One cell: NULL, an integer, a real (NaN is stored as NULL, as SQLite would), text, or bytes
// (a BLOB in SQLite, a BYTEA in PostgreSQL).
struct RowCell {
  enum class Kind { null, integer, real, text, bytes };
  Kind kind = Kind::null;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;  // text, or the raw bytes

  static RowCell null_cell() { return {}; }
  static RowCell of(std::int64_t value) { return {Kind::integer, value, 0, {}}; }
  static RowCell of(double value) { return {Kind::real, 0, value, {}}; }
  static RowCell of(std::string value) { return {Kind::text, 0, 0, std::move(value)}; }
  static RowCell of_bytes(std::string bytes) { return {Kind::bytes, 0, 0, std::move(bytes)}; }
  static RowCell text_or_null(const std::string& value) { return value.empty() ? null_cell() : of(value); }
};

struct TableRows {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<RowCell>> rows;
};

TableRows split_fold_rows(std::int64_t sweep_id, const SweepSplits& splits);
TableRows split_row_rows(std::int64_t sweep_id, const SweepSplits& splits);
TableRows baseline_fold_rows(std::int64_t sweep_id, const std::vector<BaselineFoldRecord>& folds);
// A group (a recording) often holds one class only: its balanced accuracy is the mean recall over
// the classes it has, not a mean in which every absent class counts 0.
TableRows final_run_group_rows(std::int64_t final_run_id,
                               const std::vector<std::pair<std::string, ConfusionMatrix>>& groups);
// Throws StoreError when `weights_hash` is not the hash of model.weights, or the weights do not
// fit the model's layout.
TableRows final_model_rows(std::int64_t final_run_id, const TrainedModel& model,
                           const std::string& weights_hash);

// A confusion matrix as JSON rows of counts: [[true 0 → predicted 0, …], …].
std::string confusion_json(const ConfusionMatrix& confusion);

// INSERT (or, with skip_existing, INSERT OR IGNORE / ON CONFLICT DO NOTHING) of every row.
void insert_rows(SQLite::Database& db, const TableRows& rows, bool skip_existing = false);
void insert_rows(PgConnection& pg, const TableRows& rows, bool skip_existing = false);

}  // namespace eegsweep::store_detail
