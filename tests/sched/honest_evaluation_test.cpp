// Issue 11 through the real sweep plan: a test set of named groups, leave-one-group-out folds,
// inner validation splits that never touch the fold's validation rows, and the stored splits.
#include <gtest/gtest.h>

#include <set>

#include "engine/sched/split_record.h"
#include "engine/sched/sweep_plan.h"

namespace eegsweep {
namespace {

// 120 synthetic rows dealt round-robin to groups rec0..rec5: row r belongs to rec(r % 6).
SweepSpec grouped_spec(const std::string& extra) {
  return parse_sweep(R"(
name: honest
data:
  format: synthetic
  synthetic: {rows: 120, features: 8, classes: 2, noise: 1.0, groups: 6, seed: 5}
cv: {folds: 3, group_by: recording}
seed: 4
)" + extra,
                     "/tmp/honest.yaml");
}

std::set<std::string> groups_of(const Dataset& data, const RowList& rows) {
  std::set<std::string> names;
  for (RowIndex r : rows) names.insert(data.group_names[static_cast<std::size_t>(data.group[r])]);
  return names;
}

TEST(HonestEvaluation, TestGroupsAreExactlyTheNamedOnes) {
  const SweepSpec spec = grouped_spec("test: {groups: [rec1, rec4]}\n");
  const SweepPlan plan = plan_sweep(spec, load_dataset(spec));
  EXPECT_EQ(groups_of(*plan.data, plan.holdout.test), (std::set<std::string>{"rec1", "rec4"}));
  EXPECT_EQ(plan.holdout.test.size(), 40u);  // 2 of 6 round-robin groups of 120 rows
  EXPECT_EQ(plan.holdout.train.size(), 80u);
  for (const Fold& f : plan.folds) {
    EXPECT_EQ(groups_of(*plan.data, f.val).count("rec1"), 0u);
    EXPECT_EQ(groups_of(*plan.data, f.train).count("rec4"), 0u);
  }
}

TEST(HonestEvaluation, UnknownTestGroupNamesTheKeyPosition) {
  const SweepSpec spec = grouped_spec("test:\n  groups: [rec1, bob]\n");
  try {
    plan_sweep(spec, load_dataset(spec));
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("/tmp/honest.yaml:9:11"), std::string::npos) << message;
    EXPECT_NE(message.find("'bob'"), std::string::npos) << message;
    EXPECT_NE(message.find("rec0, rec1"), std::string::npos) << message;
  }
}

TEST(HonestEvaluation, LeaveOneGroupOutHasAFoldPerRemainingGroup) {
  const SweepSpec spec = parse_sweep(R"(
name: honest
data:
  format: synthetic
  synthetic: {rows: 120, features: 8, classes: 2, noise: 1.0, groups: 6, seed: 5}
cv: {method: leave_one_group_out, group_by: recording}
test: {groups: [rec5]}
seed: 4
)", "/tmp/honest.yaml");
  const SweepPlan plan = plan_sweep(spec, load_dataset(spec));
  ASSERT_EQ(plan.folds.size(), 5u);
  for (std::size_t f = 0; f < 5; ++f) {
    const std::string name = "rec" + std::to_string(f);
    EXPECT_EQ(plan.folds[f].held_out_group, name);
    EXPECT_EQ(groups_of(*plan.data, plan.folds[f].val), (std::set<std::string>{name}));
    EXPECT_EQ(plan.folds[f].val.size(), 20u);
    EXPECT_EQ(groups_of(*plan.data, plan.folds[f].train).count(name), 0u);
    EXPECT_EQ(plan.folds[f].train.size(), 80u);
  }
}

TEST(HonestEvaluation, InnerSplitComesFromTheFoldsTrainingRowsByWholeGroups) {
  const SweepSpec spec = grouped_spec("");
  ASSERT_EQ(spec.cv.epoch_selection, "inner");  // the default
  const SweepPlan plan = plan_sweep(spec, load_dataset(spec));
  for (int f = 0; f < static_cast<int>(plan.folds.size()); ++f) {
    const Fold& fold = plan.folds[static_cast<std::size_t>(f)];
    const FoldData inner = inner_fold_data(spec, plan, f);
    const std::set<RowIndex> fold_train(fold.train.begin(), fold.train.end());
    const std::set<RowIndex> fold_val(fold.val.begin(), fold.val.end());
    EXPECT_EQ(inner.train_rows.size() + inner.val_rows.size(), fold.train.size());
    EXPECT_FALSE(inner.val_rows.empty());
    for (RowIndex r : inner.train_rows) EXPECT_TRUE(fold_train.count(r)) << r;
    for (RowIndex r : inner.val_rows) {
      EXPECT_TRUE(fold_train.count(r)) << r;
      EXPECT_FALSE(fold_val.count(r)) << r;
    }
    const auto inner_val_groups = groups_of(*plan.data, inner.val_rows);
    for (const auto& g : groups_of(*plan.data, inner.train_rows)) EXPECT_EQ(inner_val_groups.count(g), 0u) << g;
    // Same seed, same split: a resumed or reproduced fold chooses its epoch on the same rows.
    EXPECT_EQ(inner_fold_data(spec, plan, f).val_rows, inner.val_rows);
  }
}

TEST(HonestEvaluation, EpochSelectionIsPartOfTheSweepIdentity) {
  const SweepSpec inner = grouped_spec("");
  const SweepSpec fold = parse_sweep(inner.source_text, "/tmp/honest.yaml", {"cv.epoch_selection=fold"});
  EXPECT_EQ(fold.cv.epoch_selection, "fold");
  EXPECT_NE(fold.identity_hash(), inner.identity_hash());
}

TEST(HonestEvaluation, StoredSplitsListEveryRowOnce) {
  const SweepSpec spec = grouped_spec("test: {groups: [rec2]}\n");
  const SweepPlan plan = plan_sweep(spec, load_dataset(spec));
  const SweepSplits splits = sweep_splits(plan);
  ASSERT_EQ(splits.rows.size(), 120u);
  ASSERT_EQ(splits.held_out_groups.size(), 3u);
  for (std::size_t r = 0; r < 120; ++r) {
    const SplitRow& row = splits.rows[r];
    EXPECT_EQ(row.row, static_cast<std::int64_t>(r));
    EXPECT_EQ(row.group, "rec" + std::to_string(r % 6));
    if (r % 6 == 2) {
      EXPECT_EQ(row.fold, -1) << r;
    } else {
      ASSERT_GE(row.fold, 0);
      const RowList& val = plan.folds[static_cast<std::size_t>(row.fold)].val;
      EXPECT_TRUE(std::binary_search(val.begin(), val.end(), static_cast<RowIndex>(r))) << r;
    }
  }
}

}  // namespace
}  // namespace eegsweep
