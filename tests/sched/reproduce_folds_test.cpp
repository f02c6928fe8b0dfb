// A sweep without test rows (leave-one-group-out over every group) is reproduced fold by fold,
// and the held-out groups, splits and per-group test scores reach the store.
#include <gtest/gtest.h>

#include "engine/sched/reproduce.h"
#include "engine/sched/scheduler.h"
#include "engine/sched/stop_signal.h"
#include "engine/sched/sweep_plan.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

SweepSpec logo_spec(const std::string& dir, const std::string& test) {
  SweepSpec s = parse_sweep(R"(
name: logo
data:
  format: synthetic
  synthetic: {rows: 120, features: 12, classes: 2, noise: 0.8, groups: 4, seed: 4}
cv: {method: leave_one_group_out, group_by: recording}
seed: 21
device: cpu
parameters:
  hidden_size: {values: [4]}
  timesteps: {value: 6}
  epochs: {value: 3}
  patience: {value: 0}
  batch_size: {value: 32}
)" + test,
                            dir + "/logo.yaml");
  s.results_path = dir + "/logo.db";
  return s;
}

TEST(ReproduceFolds, ASweepWithoutTestRowsIsReproducedFoldByFold) {
  reset_stop();
  const fixtures::TempDir dir;
  const SweepSpec s = logo_spec(dir.path(), "test_split: 0\n");
  const RunSummary summary = run_sweep(s, RunOptions{});
  ASSERT_EQ(summary.completed, 1);
  EXPECT_FALSE(summary.final_run);  // nothing to test on
  Store store(s.results_path);
  const SweepInfo sweep = *store.sweep(summary.sweep_id);
  EXPECT_EQ(store.held_out_groups(summary.sweep_id),
            (std::vector<std::string>{"rec0", "rec1", "rec2", "rec3"}));
  const TrialRecord trial = store.trials(summary.sweep_id).at(0);
  const std::vector<FoldRecord> folds = store.folds(trial.id);
  ASSERT_EQ(folds.size(), 4u);
  for (int f = 0; f < 4; ++f) {
    EXPECT_EQ(folds[static_cast<std::size_t>(f)].held_out_group, "rec" + std::to_string(f));
    EXPECT_EQ(folds[static_cast<std::size_t>(f)].val_rows, 30);  // 120 rows dealt to 4 groups
  }
  const QueryResult roles = store.query(
      "SELECT role, count(*), count(DISTINCT fold) FROM split_rows WHERE sweep_id = ? GROUP BY role",
      {summary.sweep_id});
  ASSERT_EQ(roles.rows.size(), 1u);
  EXPECT_EQ(sql_value_text(roles.rows[0][0]), "cv");
  EXPECT_EQ(sql_value_text(roles.rows[0][1]), "120");
  EXPECT_EQ(sql_value_text(roles.rows[0][2]), "4");

  EXPECT_FALSE(sweep_has_test_rows(sweep));
  const FoldsReproduction same = reproduce_folds(store, sweep, trial, "cpu");
  ASSERT_EQ(same.folds.size(), 4u);
  EXPECT_TRUE(same.matches);
  for (const auto& f : same.folds) EXPECT_TRUE(f.identical);

  // A tampered record is caught.
  FoldRecord tampered = folds[1];
  tampered.confusion.counts[0] += 1;
  tampered.confusion.counts[1] -= 1;
  store.record_fold(trial.id, tampered);
  const FoldsReproduction differs = reproduce_folds(store, sweep, trial, "cpu");
  EXPECT_FALSE(differs.matches);
  EXPECT_FALSE(differs.folds[1].identical);
  EXPECT_TRUE(differs.folds[0].identical);
}

TEST(ReproduceFolds, ANamedTestGroupIsScoredPerGroupByTheFinalRun) {
  reset_stop();
  const fixtures::TempDir dir;
  const SweepSpec s = logo_spec(dir.path(), "test: {groups: [rec2]}\n");
  const RunSummary summary = run_sweep(s, RunOptions{});
  ASSERT_TRUE(summary.final_run);
  ASSERT_EQ(summary.final_run->test_groups.size(), 1u);
  EXPECT_EQ(summary.final_run->test_groups[0].first, "rec2");
  EXPECT_EQ(summary.final_run->test_groups[0].second.counts, summary.final_run->confusion.counts);
  Store store(s.results_path);
  EXPECT_EQ(store.held_out_groups(summary.sweep_id), (std::vector<std::string>{"rec0", "rec1", "rec3"}));
  const QueryResult stored = store.query(
      "SELECT group_name, rows FROM final_run_groups WHERE final_run_id = ?", {summary.final_run->id});
  ASSERT_EQ(stored.rows.size(), 1u);
  EXPECT_EQ(sql_value_text(stored.rows[0][0]), "rec2");
  EXPECT_EQ(sql_value_text(stored.rows[0][1]), "30");
  const QueryResult test_rows = store.query(
      "SELECT count(*) FROM split_rows WHERE sweep_id = ? AND role = 'test' AND group_name = 'rec2' "
      "AND fold IS NULL",
      {summary.sweep_id});
  EXPECT_EQ(sql_value_text(test_rows.rows[0][0]), "30");
}

}  // namespace
}  // namespace eegsweep
