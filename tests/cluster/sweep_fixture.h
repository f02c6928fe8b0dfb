#pragma once
// The small sweep the cluster tests run, one local `sweep run` of it to compare with, and the
// stored rows that must be equal wherever and however the sweep ran.

#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep::testing {

// 4 trials × 3 folds on synthetic data of 12 recordings (grouped folds and test set, so that the
// final run has per-group scores); `epochs` sets how long a unit trains (exactly that long with
// patience 0: no early stopping).
inline std::string sweep_text(int epochs, int patience = 50) {
  return R"(name: cluster
method: grid
metric: {name: accuracy, goal: maximize}
data:
  format: synthetic
  synthetic: {rows: 240, features: 32, classes: 3, noise: 0.8, seed: 3, groups: 12}
test_split: 0.2
cv: {folds: 3, group_by: recording}
seed: 11
device: cpu
parameters:
  hidden_size: {values: [8, 16]}
  learning_rate: {values: [0.01, 0.003]}
  timesteps: {value: 16}
  epochs: {value: )" + std::to_string(epochs) + R"(}
  patience: {value: )" + std::to_string(patience) + R"(}
  batch_size: {value: 32}
)";
}

// Every stored value that does not depend on where, when or how fast it ran; reals exactly.
inline std::vector<std::string> stored_rows(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  const char* queries[] = {
      "SELECT name, spec_path, spec_text, identity_hash, overrides_json, dataset_hash, dataset_rows, "
      "dataset_features, class_names, metric_name, maximize, seed, device FROM sweeps",
      "SELECT number, params_json, params_hash, seed, status, error, cv_mean, cv_std FROM trials "
      "ORDER BY number",
      "SELECT t.number, p.name, p.value, p.value_num FROM trial_params p JOIN trials t ON t.id = "
      "p.trial_id ORDER BY 1, 2",
      "SELECT t.number, f.fold, train_rows, val_rows, best_epoch, loss, accuracy, precision_macro, "
      "recall_macro, f1_macro, per_class FROM folds f JOIN trials t ON t.id = f.trial_id ORDER BY 1, 2",
      "SELECT t.number, e.fold, epoch, train_loss, val_loss, val_accuracy, val_precision_macro, "
      "val_recall_macro, val_f1_macro FROM epochs e JOIN trials t ON t.id = e.trial_id ORDER BY 1, 2, 3",
      "SELECT t.number, c.fold, r.kind, true_class, predicted_class, count FROM confusion c JOIN "
      "trials t ON t.id = c.trial_id LEFT JOIN final_runs r ON r.id = c.final_run_id ORDER BY 1, 2, 3, 4, 5",
      "SELECT t.number, kind, epochs, loss, accuracy, precision_macro, recall_macro, f1_macro, "
      "per_class, weights_hash, device FROM final_runs r JOIN trials t ON t.id = r.trial_id ORDER BY 1, 2",
      "SELECT trial, rank, cv_mean, folds, accuracy FROM leaderboard ORDER BY trial",
      // Issue 11's evaluation records: the splits, the baseline on the same folds, the final
      // run's model and per-test-group scores.
      "SELECT fold, held_out_group FROM split_folds ORDER BY fold",
      "SELECT row, role, fold, group_name, label FROM split_rows ORDER BY row",
      "SELECT model, fold, train_rows, val_rows, epochs, loss, accuracy, precision_macro, "
      "recall_macro, f1_macro, per_class, confusion, weights_hash FROM baseline_folds ORDER BY 1, 2",
      "SELECT t.number, r.kind, g.group_name, g.rows, g.accuracy, g.recall_macro, g.confusion FROM "
      "final_run_groups g JOIN final_runs r ON r.id = g.final_run_id JOIN trials t ON t.id = "
      "r.trial_id ORDER BY 1, 2, 3",
      "SELECT t.number, r.kind, m.layout_json, m.standardizer_json, hex(m.weights), m.weights_hash "
      "FROM final_run_models m JOIN final_runs r ON r.id = m.final_run_id JOIN trials t ON t.id = "
      "r.trial_id ORDER BY 1, 2"};
  std::vector<std::string> rows;
  for (const char* sql : queries) {
    SQLite::Statement statement(db, sql);
    while (statement.executeStep()) {
      std::string row;
      for (int c = 0; c < statement.getColumnCount(); ++c) {
        const SQLite::Column column = statement.getColumn(c);
        char number[40];
        if (column.isFloat()) {
          std::snprintf(number, sizeof number, "%.17g", column.getDouble());
          row += std::string(number) + "|";
        } else {
          row += (column.isNull() ? std::string("NULL") : column.getString()) + "|";
        }
      }
      rows.push_back(row);
    }
    rows.push_back("--");
  }
  return rows;
}

// One local run of each sweep shape, shared by the tests that compare with it.
inline std::string local_database(int epochs, int patience = 50) {
  static std::map<std::pair<int, int>, std::string> done;
  static fixtures::TempDir local;
  auto found = done.find({epochs, patience});
  if (found != done.end()) return found->second;
  const std::string name = "local" + std::to_string(epochs) + "_" + std::to_string(patience);
  local.write(name + ".yaml", sweep_text(epochs, patience));
  const auto run = run_sweep_command({"run", name + ".yaml", "--db", name + ".db"}, local.path(), name);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return done[{epochs, patience}] = local.file(name + ".db");
}

// The spec text is stored with the sweep: the local run's file has the same text, but another
// path; both sides are compared with the spec path blanked.
inline std::vector<std::string> comparable(const std::string& path) {
  std::vector<std::string> rows = stored_rows(path);
  rows[0] = rows[0].substr(rows[0].find('|', rows[0].find('|') + 1));
  return rows;
}

}  // namespace eegsweep::testing
