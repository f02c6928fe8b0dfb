// Issue 11 through the real sweep plan: a test set of named groups, leave-one-group-out folds,
// inner validation splits that never touch the fold's validation rows, and the stored splits.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
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

namespace eegsweep {
namespace {

// test: {path}: a separate csv, read like data.path, is the test set.
class TestPath : public ::testing::Test {
 protected:
  std::string dir_ = ::testing::TempDir() + "eegsweep_test_path_" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name();
  void SetUp() override { std::filesystem::create_directories(dir_); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(dir_ + "/" + name) << text; }
  SweepSpec spec() const {
    return parse_sweep("data: {format: csv, path: train.csv, group: subject}\n"
                       "cv: {folds: 3, group_by: subject}\n"
                       "test: {path: test.csv}\n",
                       dir_ + "/s.yaml");
  }
  static std::string train_csv() {
    std::string text = "f1,f2,label,subject\n";
    for (int i = 0; i < 12; ++i) {
      text += std::to_string(i) + "," + std::to_string(i * 2) + "," + (i % 2 ? "up" : "down") + "," +
              std::string(1, static_cast<char>('a' + i / 4)) + "\n";
    }
    return text;
  }
};

TEST_F(TestPath, TheSeparateTableIsTheTestSet) {
  write("train.csv", train_csv());
  write("test.csv", "f1,f2,label,subject\n100,1,up,d\n101,2,down,d\n102,3,up,e\n");
  const SweepSpec s = spec();
  EXPECT_EQ(s.test.path, (std::filesystem::path(dir_) / "test.csv").lexically_normal().string());
  const auto data = load_dataset(s);
  const SweepPlan plan = plan_sweep(s, data);
  ASSERT_EQ(data->rows, 15u);
  EXPECT_EQ(plan.holdout.test, (RowList{12, 13, 14}));
  EXPECT_EQ(plan.holdout.train.size(), 12u);
  // Classes keep the training table's order (down, up); groups d and e are new.
  EXPECT_EQ(data->class_names, (std::vector<std::string>{"down", "up"}));
  EXPECT_EQ(data->y[12], 1);
  EXPECT_EQ(data->y[13], 0);
  EXPECT_EQ(data->x[12 * 2], 100.0f);
  EXPECT_EQ(data->group_names[static_cast<std::size_t>(data->group[12])], "d");
  EXPECT_EQ(data->group_names[static_cast<std::size_t>(data->group[14])], "e");
  EXPECT_EQ(plan.folds.size(), 3u);
  for (const Fold& f : plan.folds) {
    for (RowIndex r : f.val) EXPECT_LT(r, 12u);
    for (RowIndex r : f.train) EXPECT_LT(r, 12u);
  }
}

TEST_F(TestPath, MismatchedColumnsOrSharedGroupsAreErrors) {
  write("train.csv", train_csv());
  write("test.csv", "f1,f3,label,subject\n1,1,up,d\n2,2,down,d\n");
  try {
    load_dataset(spec());
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("test.path"), std::string::npos) << e.what();
  }
  write("test.csv", "f1,f2,label,subject\n1,1,up,a\n2,2,down,d\n");
  try {
    load_dataset(spec());
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("group 'a' is in both"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace eegsweep
