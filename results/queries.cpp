// The reads: sweeps, trials, folds, best trial, final runs, and the read-only SQL the CLI runs
// (ad-hoc queries and the filtered leaderboard).

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "results/store.h"
#include "results/detail/store_impl.h"

namespace eegsweep {

using store_detail::column_real;
using store_detail::column_text;
using store_detail::guarded;
using store_detail::read_transaction;

namespace {

constexpr const char* kSweepColumns =
    "id, name, description, spec_path, spec_text, identity_hash, overrides_json, dataset_source, "
    "dataset_hash, dataset_rows, dataset_features, class_names, metric_name, maximize, seed, "
    "engine_version, host, device, created_at";

SweepInfo read_sweep(SQLite::Statement& row) {
  SweepInfo info;
  info.id = row.getColumn(0).getInt64();
  info.name = column_text(row.getColumn(1));
  info.description = column_text(row.getColumn(2));
  info.spec_path = column_text(row.getColumn(3));
  info.spec_text = column_text(row.getColumn(4));
  info.identity_hash = column_text(row.getColumn(5));
  info.overrides_json = column_text(row.getColumn(6));
  info.dataset_source = column_text(row.getColumn(7));
  info.dataset_hash = column_text(row.getColumn(8));
  info.dataset_rows = row.getColumn(9).getInt64();
  info.dataset_features = row.getColumn(10).getInt64();
  const nlohmann::json names = nlohmann::json::parse(column_text(row.getColumn(11)), nullptr, false);
  if (names.is_array()) {
    for (const auto& name : names) info.class_names.push_back(name.is_string() ? name.get<std::string>() : name.dump());
  }
  info.metric_name = column_text(row.getColumn(12));
  info.maximize = row.getColumn(13).getInt() != 0;
  info.seed = store_detail::parse_seed(column_text(row.getColumn(14)));
  info.engine_version = column_text(row.getColumn(15));
  info.host = column_text(row.getColumn(16));
  info.device = column_text(row.getColumn(17));
  info.created_at = column_text(row.getColumn(18));
  return info;
}

// Trials with their fold count; `where` filters (with bound parameters), `tail` orders/limits.
constexpr const char* kTrialSelect =
    "SELECT t.id, t.sweep_id, t.number, t.params_json, t.params_hash, t.seed, t.status, t.error, "
    "t.cv_mean, t.cv_std, t.started_at, t.finished_at, "
    "(SELECT COUNT(*) FROM folds f WHERE f.trial_id = t.id) "
    "FROM trials t JOIN sweeps s ON s.id = t.sweep_id ";

TrialRecord read_trial(SQLite::Statement& row) {
  TrialRecord trial;
  trial.id = row.getColumn(0).getInt64();
  trial.sweep_id = row.getColumn(1).getInt64();
  trial.number = row.getColumn(2).getInt();
  trial.params_json = column_text(row.getColumn(3));
  trial.params_hash = column_text(row.getColumn(4));
  trial.seed = store_detail::parse_seed(column_text(row.getColumn(5)));
  trial.status = parse_status(column_text(row.getColumn(6)));
  trial.error = column_text(row.getColumn(7));
  if (!row.getColumn(8).isNull()) trial.cv_mean = row.getColumn(8).getDouble();
  if (!row.getColumn(9).isNull()) trial.cv_std = row.getColumn(9).getDouble();
  trial.started_at = column_text(row.getColumn(10));
  trial.finished_at = column_text(row.getColumn(11));
  trial.folds_done = row.getColumn(12).getInt();
  return trial;
}

void attach_params(SQLite::Database& db, std::vector<TrialRecord>& trials) {
  SQLite::Statement select(db,
                           "SELECT name, value FROM trial_params WHERE trial_id = ? ORDER BY "
                           "rowid");
  for (TrialRecord& trial : trials) {
    select.bind(1, trial.id);
    while (select.executeStep()) {
      trial.params.emplace_back(select.getColumn(0).getString(), column_text(select.getColumn(1)));
    }
    select.reset();
  }
}

std::vector<TrialRecord> select_trials(SQLite::Database& db, const std::string& condition,
                                       const std::function<void(SQLite::Statement&)>& bind) {
  SQLite::Statement select(db, std::string(kTrialSelect) + condition);
  bind(select);
  std::vector<TrialRecord> trials;
  while (select.executeStep()) trials.push_back(read_trial(select));
  attach_params(db, trials);
  return trials;
}

// Reads the cells written by insert_confusion (every cell present, so the size is the largest
// class index + 1).
ConfusionMatrix read_confusion(SQLite::Statement& select) {
  std::vector<std::tuple<int, int, std::int64_t>> cells;
  int classes = 0;
  while (select.executeStep()) {
    const int truth = select.getColumn(0).getInt();
    const int predicted = select.getColumn(1).getInt();
    cells.emplace_back(truth, predicted, select.getColumn(2).getInt64());
    classes = std::max({classes, truth + 1, predicted + 1});
  }
  select.reset();
  ConfusionMatrix confusion(classes);
  for (const auto& [truth, predicted, count] : cells) {
    confusion.counts[static_cast<std::size_t>(truth) * classes + predicted] = count;
  }
  return confusion;
}

void read_metrics(SQLite::Statement& row, int first, Metrics& metrics) {
  metrics.loss = column_real(row.getColumn(first));
  metrics.accuracy = column_real(row.getColumn(first + 1));
  metrics.precision_macro = column_real(row.getColumn(first + 2));
  metrics.recall_macro = column_real(row.getColumn(first + 3));
  metrics.f1_macro = column_real(row.getColumn(first + 4));
  store_detail::read_per_class(column_text(row.getColumn(first + 5)), metrics);
}

SqlValue read_value(const SQLite::Column& column) {
  switch (column.getType()) {
    case SQLITE_INTEGER: return column.getInt64();
    case SQLITE_FLOAT: return column.getDouble();
    case SQLITE_NULL: return std::monostate{};
    default: return column.getString();  // TEXT, and BLOB as its bytes
  }
}

void bind_value(SQLite::Statement& statement, int index, const SqlValue& value) {
  if (std::holds_alternative<std::int64_t>(value)) {
    statement.bind(index, std::get<std::int64_t>(value));
  } else if (std::holds_alternative<double>(value)) {
    statement.bind(index, std::get<double>(value));
  } else if (std::holds_alternative<std::string>(value)) {
    statement.bind(index, std::get<std::string>(value));
  } else {
    statement.bind(index);
  }
}

std::string quote_identifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

// A parameter as a leaderboard column: a number when it is one (integers stay integers, so
// `units = 64` and `lr < 1e-3` both work), its text otherwise.
constexpr const char* kParamValue =
    "CASE WHEN p.value_num IS NULL THEN p.value "
    "WHEN p.value_num = CAST(p.value_num AS INTEGER) AND p.value NOT LIKE '%.%' "
    "AND p.value NOT LIKE '%e%' AND p.value NOT LIKE '%E%' THEN CAST(p.value_num AS INTEGER) "
    "ELSE p.value_num END";

}  // namespace

std::string sql_value_text(const SqlValue& value) {
  if (std::holds_alternative<std::int64_t>(value)) return std::to_string(std::get<std::int64_t>(value));
  if (std::holds_alternative<double>(value)) {
    // Shortest text that reads back as the same double.
    return nlohmann::json(std::get<double>(value)).dump();
  }
  if (std::holds_alternative<std::string>(value)) return std::get<std::string>(value);
  return {};
}

std::optional<SweepInfo> Store::sweep(std::int64_t sweep_id) {
  return guarded(*impl_, "sweep", [&]() -> std::optional<SweepInfo> {
    SQLite::Statement select(*impl_->db,
                             std::string("SELECT ") + kSweepColumns + " FROM sweeps WHERE id = ?");
    select.bind(1, sweep_id);
    if (!select.executeStep()) return std::nullopt;
    return read_sweep(select);
  });
}

std::optional<SweepInfo> Store::latest_sweep(const std::string& name) {
  return guarded(*impl_, "latest_sweep", [&]() -> std::optional<SweepInfo> {
    SQLite::Statement select(*impl_->db, std::string("SELECT ") + kSweepColumns +
                                             " FROM sweeps WHERE ? = '' OR name = ? ORDER BY id "
                                             "DESC LIMIT 1");
    select.bind(1, name);
    select.bind(2, name);
    if (!select.executeStep()) return std::nullopt;
    return read_sweep(select);
  });
}

std::vector<TrialRecord> Store::trials(std::int64_t sweep_id) {
  return guarded(*impl_, "trials", [&] {
    return read_transaction(*impl_, [&] {
      return select_trials(*impl_->db, "WHERE t.sweep_id = ? ORDER BY t.number",
                           [&](SQLite::Statement& s) { s.bind(1, sweep_id); });
    });
  });
}

std::optional<TrialRecord> Store::trial(std::int64_t sweep_id, int number) {
  return guarded(*impl_, "trial", [&]() -> std::optional<TrialRecord> {
    auto found = read_transaction(*impl_, [&] {
      return select_trials(*impl_->db, "WHERE t.sweep_id = ? AND t.number = ?",
                           [&](SQLite::Statement& s) {
                             s.bind(1, sweep_id);
                             s.bind(2, number);
                           });
    });
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  });
}

std::optional<TrialRecord> Store::best_trial(std::int64_t sweep_id) {
  return guarded(*impl_, "best_trial", [&]() -> std::optional<TrialRecord> {
    auto found = read_transaction(*impl_, [&] {
      return select_trials(*impl_->db,
                           "WHERE t.sweep_id = ? AND t.status = 'completed' AND t.cv_mean IS NOT "
                           "NULL ORDER BY CASE WHEN s.maximize THEN -t.cv_mean ELSE t.cv_mean "
                           "END, t.number LIMIT 1",
                           [&](SQLite::Statement& s) { s.bind(1, sweep_id); });
    });
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  });
}

std::vector<int> Store::completed_folds(std::int64_t trial_id) {
  return guarded(*impl_, "completed_folds", [&] {
    SQLite::Statement select(*impl_->db, "SELECT fold FROM folds WHERE trial_id = ? ORDER BY fold");
    select.bind(1, trial_id);
    std::vector<int> folds;
    while (select.executeStep()) folds.push_back(select.getColumn(0).getInt());
    return folds;
  });
}

std::vector<FoldRecord> Store::folds(std::int64_t trial_id) {
  return guarded(*impl_, "folds", [&] {
    return read_transaction(*impl_, [&] {
      SQLite::Database& db = *impl_->db;
      std::vector<FoldRecord> folds;
      {
        // A version-1 store opened read-only has no split_folds (it is upgraded only when written).
        const std::string held_out_group =
            db.tableExists("split_folds")
                ? "(SELECT sf.held_out_group FROM split_folds sf JOIN trials t ON t.sweep_id = "
                  "sf.sweep_id WHERE t.id = folds.trial_id AND sf.fold = folds.fold)"
                : "NULL";
        SQLite::Statement select(db,
                                 "SELECT fold, train_rows, val_rows, best_epoch, loss, accuracy, "
                                 "precision_macro, recall_macro, f1_macro, per_class, seconds, "
                                 "backend_detail, " + held_out_group +
                                 " FROM folds WHERE trial_id = ? ORDER BY fold");
        select.bind(1, trial_id);
        while (select.executeStep()) {
          FoldRecord fold;
          fold.fold = select.getColumn(0).getInt();
          fold.train_rows = select.getColumn(1).getInt();
          fold.val_rows = select.getColumn(2).getInt();
          fold.best_epoch = select.getColumn(3).getInt();
          read_metrics(select, 4, fold.val);
          fold.seconds = select.getColumn(10).getDouble();
          fold.backend_detail = column_text(select.getColumn(11));
          fold.held_out_group = column_text(select.getColumn(12));
          folds.push_back(std::move(fold));
        }
      }
      SQLite::Statement epochs(db,
                               "SELECT epoch, train_loss, val_loss, val_accuracy, "
                               "val_precision_macro, val_recall_macro, val_f1_macro, seconds "
                               "FROM epochs WHERE trial_id = ? AND fold = ? ORDER BY epoch");
      SQLite::Statement cells(db,
                              "SELECT true_class, predicted_class, count FROM confusion WHERE "
                              "trial_id = ? AND fold = ?");
      for (FoldRecord& fold : folds) {
        epochs.bind(1, trial_id);
        epochs.bind(2, fold.fold);
        while (epochs.executeStep()) {
          EpochRecord record;
          record.epoch = epochs.getColumn(0).getInt();
          record.train_loss = column_real(epochs.getColumn(1));
          record.val.loss = column_real(epochs.getColumn(2));
          record.val.accuracy = column_real(epochs.getColumn(3));
          record.val.precision_macro = column_real(epochs.getColumn(4));
          record.val.recall_macro = column_real(epochs.getColumn(5));
          record.val.f1_macro = column_real(epochs.getColumn(6));
          record.seconds = epochs.getColumn(7).getDouble();
          fold.epochs.push_back(std::move(record));
        }
        epochs.reset();
        cells.bind(1, trial_id);
        cells.bind(2, fold.fold);
        fold.confusion = read_confusion(cells);
      }
      return folds;
    });
  });
}

namespace {

// Final runs (with their confusion matrices) of the rows `filter` selects, e.g. "t.sweep_id = ?";
// `id` is bound to its one parameter. Runs inside the caller's read transaction.
std::vector<FinalRunRecord> read_final_runs(SQLite::Database& db, const std::string& filter,
                                            std::int64_t id) {
  std::vector<FinalRunRecord> runs;
  {
    SQLite::Statement select(db,
                             "SELECT r.id, r.trial_id, r.kind, r.epochs, r.loss, r.accuracy, "
                             "r.precision_macro, r.recall_macro, r.f1_macro, r.per_class, "
                             "r.weights_hash, r.device, r.seconds, r.created_at FROM "
                             "final_runs r JOIN trials t ON t.id = r.trial_id WHERE " +
                                 filter + " ORDER BY r.id");
    select.bind(1, id);
    while (select.executeStep()) {
      FinalRunRecord run;
      run.id = select.getColumn(0).getInt64();
      run.trial_id = select.getColumn(1).getInt64();
      run.kind = column_text(select.getColumn(2));
      run.epochs = select.getColumn(3).getInt();
      read_metrics(select, 4, run.test);
      run.weights_hash = column_text(select.getColumn(10));
      run.device = column_text(select.getColumn(11));
      run.seconds = select.getColumn(12).getDouble();
      run.created_at = column_text(select.getColumn(13));
      runs.push_back(std::move(run));
    }
  }
  SQLite::Statement cells(db,
                          "SELECT true_class, predicted_class, count FROM confusion WHERE "
                          "final_run_id = ?");
  for (FinalRunRecord& run : runs) {
    cells.bind(1, run.id);
    run.confusion = read_confusion(cells);
  }
  return runs;
}

}  // namespace

std::vector<FinalRunRecord> Store::final_runs(std::int64_t sweep_id) {
  return guarded(*impl_, "final_runs", [&] {
    return read_transaction(*impl_, [&] { return read_final_runs(*impl_->db, "t.sweep_id = ?", sweep_id); });
  });
}

std::optional<FinalRunRecord> Store::final_run(std::int64_t trial_id) {
  return guarded(*impl_, "final_run", [&] {
    return read_transaction(*impl_, [&]() -> std::optional<FinalRunRecord> {
      auto runs = read_final_runs(*impl_->db, "r.trial_id = ? AND r.kind = 'final'", trial_id);
      if (runs.empty()) return std::nullopt;
      return std::move(runs.front());
    });
  });
}

QueryResult Store::query(const std::string& sql, const std::vector<SqlValue>& params,
                         double time_limit_seconds) {
  SQLite::Database& db = *impl_->db;
  // query_only makes any write fail inside SQLite itself, whatever the text of the statement.
  db.exec("PRAGMA query_only = ON");
  store_detail::QueryTimeLimit limit(*impl_, time_limit_seconds);
  try {
    store_detail::check_no_tail(*impl_, sql);
    QueryResult result;
    read_transaction(*impl_, [&] {
      SQLite::Statement statement(db, sql);
      for (std::size_t i = 0; i < params.size(); ++i) {
        bind_value(statement, static_cast<int>(i) + 1, params[i]);
      }
      for (int c = 0; c < statement.getColumnCount(); ++c) {
        result.columns.emplace_back(statement.getColumnName(c));
      }
      while (statement.executeStep()) {
        std::vector<SqlValue> row;
        row.reserve(result.columns.size());
        for (int c = 0; c < statement.getColumnCount(); ++c) row.push_back(read_value(statement.getColumn(c)));
        result.rows.push_back(std::move(row));
      }
    });
    db.exec("PRAGMA query_only = OFF");
    return result;
  } catch (const SQLite::Exception& e) {
    db.exec("PRAGMA query_only = OFF");
    if (limit.expired) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", time_limit_seconds);
      throw StoreError(impl_->path + ": query stopped after its time limit of " + seconds +
                       " s (results --timeout SECONDS allows more)");
    }
    throw StoreError(impl_->path + ": query failed: " + e.what());
  } catch (...) {
    db.exec("PRAGMA query_only = OFF");
    throw;
  }
}

QueryResult Store::leaderboard(std::int64_t sweep_id, const LeaderboardQuery& options) {
  const QueryResult view_columns = query("SELECT * FROM leaderboard LIMIT 0");
  const QueryResult names = query(
      "SELECT DISTINCT p.name FROM trial_params p JOIN trials t ON t.id = p.trial_id WHERE "
      "t.sweep_id = ? ORDER BY p.name",
      {SqlValue{sweep_id}});

  std::set<std::string> taken(view_columns.columns.begin(), view_columns.columns.end());
  std::vector<std::string> allowed = view_columns.columns;
  std::string select = "SELECT l.*";
  std::vector<SqlValue> params;
  for (const auto& row : names.rows) {
    const std::string name = sql_value_text(row.at(0));
    // A parameter never hides a leaderboard column: it gets a "param." prefix instead.
    const std::string column = taken.count(name) ? "param." + name : name;
    taken.insert(column);
    allowed.push_back(column);
    select += std::string(", (SELECT ") + kParamValue +
              " FROM trial_params p WHERE p.trial_id = l.trial_id AND p.name = ?) AS " +
              quote_identifier(column);
    params.emplace_back(name);
  }
  select += " FROM leaderboard l WHERE l.sweep_id = ?";
  params.emplace_back(sweep_id);

  std::string sql = "SELECT * FROM (" + select + ")";
  if (!options.where.empty()) {
    // Parenthesised and on its own lines, but only a check of its own structure keeps
    // "1=1) or (1=1" from escaping the parentheses.
    store_detail::check_single_expression(options.where);
    sql += " WHERE (\n" + options.where + "\n)";
  }
  if (options.sort_by.empty()) {
    sql += " ORDER BY rank, trial";
  } else {
    if (std::find(allowed.begin(), allowed.end(), options.sort_by) == allowed.end()) {
      std::string list;
      for (const auto& name : allowed) list += (list.empty() ? "" : ", ") + name;
      throw StoreError("cannot sort the leaderboard by '" + options.sort_by +
                       "': not a column; the columns are " + list);
    }
    sql += " ORDER BY " + quote_identifier(options.sort_by) +
           (options.descending ? " DESC" : " ASC") + ", rank, trial";
  }
  if (options.top > 0) sql += " LIMIT " + std::to_string(options.top);
  try {
    return query(sql, params, options.time_limit_seconds);
  } catch (const StoreError& e) {
    if (options.where.empty()) throw;
    std::string list;
    for (const auto& name : allowed) list += (list.empty() ? "" : ", ") + name;
    throw StoreError(std::string(e.what()) + " (in the filter '" + options.where +
                     "'; its columns are " + list + ")");
  }
}

}  // namespace eegsweep
