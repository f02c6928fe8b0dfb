// The linear baseline every sweep records (baseline_folds): trained on exactly the rows of the
// sweep's folds and held-out split (the stored fold sizes and test counts agree), the same bits on
// a rerun, shown as its own unranked row by `results`, and never the best trial.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <string>

#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using testing::run_sweep_command;

const char* const kSweep = R"(name: base
data:
  format: synthetic
  synthetic: {rows: 150, features: 8, classes: 3, noise: 0.8, seed: 4}
cv: {folds: 3}
test_split: 0.2
seed: 9
device: cpu
parameters:
  hidden_size: {values: [3, 5]}
  timesteps: {value: 4}
  epochs: {value: 2}
)";

std::string baseline_rows(const std::string& db_path) {
  SQLite::Database db(db_path);
  SQLite::Statement s(db, "select fold, train_rows, val_rows, epochs, loss, accuracy, f1_macro, "
                          "confusion, weights_hash from baseline_folds order by fold");
  std::string out;
  while (s.executeStep()) {
    for (int c = 0; c < s.getColumnCount(); ++c) out += s.getColumn(c).getString() + "|";
    out += "\n";
  }
  return out;
}

TEST(LinearBaseline, UsesTheSweepsFoldsAndTestRowsAndIsReproducible) {
  fixtures::TempDir temp;
  temp.write("base.yaml", kSweep);
  const auto run = run_sweep_command({"run", "base.yaml"}, temp.path(), "run");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("baseline (linear softmax on the same folds)"), std::string::npos) << run.err;

  SQLite::Database db(temp.file("results/base.db"));
  // Every trial's fold f is scored on as many rows as the baseline's fold f, and the baseline
  // trains on all the rest of the 120 non-test rows. (The GRU trains on fewer: under the default
  // cv.epoch_selection: inner it keeps part of the fold's training rows to choose its epoch.)
  SQLite::Statement folds(db, "select f.fold, f.train_rows, f.val_rows, b.train_rows, b.val_rows "
                              "from folds f join baseline_folds b on b.fold = f.fold");
  int checked = 0;
  while (folds.executeStep()) {
    EXPECT_EQ(folds.getColumn(2).getInt(), folds.getColumn(4).getInt());
    EXPECT_EQ(folds.getColumn(3).getInt(), 120 - folds.getColumn(4).getInt());
    EXPECT_LT(folds.getColumn(1).getInt(), folds.getColumn(3).getInt());
    ++checked;
  }
  EXPECT_EQ(checked, 2 * 3);  // 2 trials × 3 folds
  // The test fold: the final run's test rows (the sum of its confusion matrix), the rest trains.
  const int test_rows = db.execAndGet("select sum(count) from confusion c join final_runs r "
                                      "on r.id = c.final_run_id where r.kind = 'final'").getInt();
  EXPECT_EQ(test_rows, 30);  // 20 % of 150
  EXPECT_EQ(db.execAndGet("select val_rows from baseline_folds where fold = -1").getInt(), test_rows);
  EXPECT_EQ(db.execAndGet("select train_rows from baseline_folds where fold = -1").getInt(), 150 - test_rows);
  // Its confusion matrix counts exactly its scored rows, and accuracy is its trace over them.
  SQLite::Statement each(db, "select val_rows, accuracy, confusion from baseline_folds");
  while (each.executeStep()) {
    const int rows = each.getColumn(0).getInt();
    const std::string confusion = each.getColumn(2).getString();
    int total = 0, trace = 0, cell = 0;
    std::size_t pos = 0;
    while ((pos = confusion.find_first_of("0123456789", pos)) != std::string::npos) {
      const std::size_t end = confusion.find_first_not_of("0123456789", pos);
      const int value = std::stoi(confusion.substr(pos, end - pos));
      total += value;
      if (cell % 4 == 0) trace += value;  // 3 × 3, row-major: cells 0, 4, 8
      ++cell;
      pos = end;
    }
    EXPECT_EQ(cell, 9);
    EXPECT_EQ(total, rows);
    EXPECT_DOUBLE_EQ(each.getColumn(1).getDouble(), static_cast<double>(trace) / rows);
  }

  // The same sweep again, into another database: the same numbers, bit for bit.
  const auto again = run_sweep_command({"run", "base.yaml", "--db", "again.db"}, temp.path(), "again");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::string first = baseline_rows(temp.file("results/base.db"));
  EXPECT_EQ(std::count(first.begin(), first.end(), '\n'), 4);  // 3 folds + the test fold
  EXPECT_EQ(first, baseline_rows(temp.file("again.db")));

  // `results` shows it as its own row, unranked, after the trials; `best` still names a trial.
  const auto results = run_sweep_command({"results"}, temp.path(), "results");
  ASSERT_EQ(results.exit_code, 0) << results.err;
  EXPECT_NE(results.out.find("baseline"), std::string::npos) << results.out;
  EXPECT_NE(results.out.find("not a trial"), std::string::npos) << results.out;
  const auto best = run_sweep_command({"best", "--format", "json"}, temp.path(), "best");
  ASSERT_EQ(best.exit_code, 0) << best.err;
  EXPECT_EQ(best.out.find("baseline"), std::string::npos) << best.out;
}

}  // namespace
}  // namespace eegsweep
