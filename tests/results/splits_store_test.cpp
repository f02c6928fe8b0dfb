// Issue 11's tables: the sweep's splits (written once), fold groups, and a final run's scores per
// test group. Expectations are counted from the records written here.
#include "tests/results/store_test_util.h"

namespace eegsweep {
namespace {

using test::make_sweep_info;
using test::make_trials;
using test::sql_rows;
using test::TempDir;

class SplitsStore : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.file("results.db");
  Store store_{path_};
};

SweepSplits three_rows(const std::string& held_out) {
  SweepSplits s;
  s.held_out_groups = {held_out, ""};
  s.rows = {{0, 0, "ann", "relaxed"}, {1, 1, "bob", "focused"}, {2, -1, "", "relaxed"}};
  return s;
}

TEST_F(SplitsStore, SplitsAreWrittenOnceAndReadBack) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.record_splits(sweep, three_rows("ann"));
  store_.record_splits(sweep, three_rows("changed"));  // a rerun keeps the first record
  EXPECT_EQ(store_.held_out_groups(sweep), (std::vector<std::string>{"ann", ""}));
  EXPECT_EQ(sql_rows(path_, "SELECT row, role, ifnull(fold, 'null'), ifnull(group_name, 'null'), label "
                            "FROM split_rows ORDER BY row"),
            (std::vector<std::vector<std::string>>{{"0", "cv", "0", "ann", "relaxed"},
                                                   {"1", "cv", "1", "bob", "focused"},
                                                   {"2", "test", "null", "null", "relaxed"}}));
  EXPECT_EQ(sql_rows(path_, "SELECT ifnull(held_out_group, 'null') FROM split_folds ORDER BY fold"),
            (std::vector<std::vector<std::string>>{{"ann"}, {"null"}}));
}

TEST_F(SplitsStore, FoldsCarryTheirHeldOutGroup) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(2));
  const auto trial = store_.trial(sweep, 1);
  ASSERT_TRUE(trial.has_value());
  store_.record_splits(sweep, three_rows("ann"));
  store_.record_fold(trial->id, test::make_fold(0, 0.5));
  store_.record_fold(trial->id, test::make_fold(1, 0.6));
  const auto folds = store_.folds(trial->id);
  ASSERT_EQ(folds.size(), 2u);
  EXPECT_EQ(folds[0].held_out_group, "ann");
  EXPECT_EQ(folds[1].held_out_group, "");
}

TEST_F(SplitsStore, FinalRunGroupsScoreTheClassesEachGroupHas) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(2));
  const auto trial = store_.trial(sweep, 1);
  ASSERT_TRUE(trial.has_value());
  FinalRunRecord run;
  run.trial_id = trial->id;
  run.kind = "final";
  run.epochs = 3;
  run.confusion = ConfusionMatrix(3);
  // Group "r1": 4 rows of class 0, 3 right → accuracy 0.75, balanced 0.75 (class 0 only).
  ConfusionMatrix r1(3);
  r1.counts = {3, 1, 0, 0, 0, 0, 0, 0, 0};
  // Group "r2": class 1 (2 rows, 2 right) and class 2 (2 rows, 0 right) → accuracy 0.5, balanced 0.5.
  ConfusionMatrix r2(3);
  r2.counts = {0, 0, 0, 0, 2, 0, 0, 2, 0};
  run.test_groups = {{"r1", r1}, {"r2", r2}};
  for (std::size_t c = 0; c < 9; ++c) run.confusion.counts[c] = r1.counts[c] + r2.counts[c];
  store_.record_final_run(run);
  EXPECT_EQ(sql_rows(path_, "SELECT group_name, rows, accuracy, recall_macro, confusion FROM "
                            "final_run_groups ORDER BY group_name"),
            (std::vector<std::vector<std::string>>{{"r1", "4", "0.75", "0.75", "[[3,1,0],[0,0,0],[0,0,0]]"},
                                                   {"r2", "4", "0.5", "0.5", "[[0,0,0],[0,2,0],[0,2,0]]"}}));
}

}  // namespace
}  // namespace eegsweep
