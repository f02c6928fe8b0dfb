// Test sets of named groups, leave-one-group-out folds, and holdout splits over a subset of rows
// (the inner validation split). Expectations are counted from the hand-made tables below.
#include "engine/data/group_splits.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/data/error_matchers.h"

namespace eegsweep {
namespace {

using fixtures::data_error_of;
using fixtures::mentions;

// Rows of subjects "ann", "bob", "cy", "dee" (group ids 0..3 in that order), labels alternate.
// ann: rows 0-3, bob: 4-9, cy: 10-12, dee: 13-19.
Dataset subjects() {
  Dataset data;
  const std::vector<int> group = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3};
  data.rows = group.size();
  data.features = 1;
  data.x.assign(data.rows, 0.0f);
  for (std::size_t r = 0; r < data.rows; ++r) data.y.push_back(static_cast<int>(r % 2));
  data.class_names = {"relaxed", "focused"};
  data.group = group;
  data.group_column = "subject";
  data.group_names = {"ann", "bob", "cy", "dee"};
  return data;
}

RowList range(RowIndex from, RowIndex to) {  // [from, to)
  RowList rows;
  for (RowIndex r = from; r < to; ++r) rows.push_back(r);
  return rows;
}

TEST(HoldoutGroups, TestHoldsExactlyTheNamedGroups) {
  const Dataset data = subjects();
  const HoldoutSplit split = holdout_groups(data, {"dee", "ann"});
  RowList expected_test = range(0, 4);
  for (RowIndex r : range(13, 20)) expected_test.push_back(r);
  EXPECT_EQ(split.test, expected_test);
  EXPECT_EQ(split.train, range(4, 13));
}

TEST(HoldoutGroups, UnknownDuplicateOrAllGroupsAreErrors) {
  const Dataset data = subjects();
  EXPECT_TRUE(mentions(data_error_of([&] { holdout_groups(data, {"eve"}); }),
                       {"'eve'", "group column 'subject'", "ann, bob, cy, dee"}));
  EXPECT_TRUE(mentions(data_error_of([&] { holdout_groups(data, {"bob", "bob"}); }), {"'bob'", "twice"}));
  EXPECT_TRUE(mentions(data_error_of([&] { holdout_groups(data, {"ann", "bob", "cy", "dee"}); }),
                       {"none is left"}));
  Dataset ungrouped = subjects();
  ungrouped.group.clear();
  EXPECT_TRUE(mentions(data_error_of([&] { holdout_groups(ungrouped, {"ann"}); }), {"no group column"}));
}

TEST(LeaveOneGroupOut, OneFoldPerGroupInGroupOrder) {
  const Dataset data = subjects();
  const std::vector<Fold> folds = leave_one_group_out(data, range(0, 20));
  ASSERT_EQ(folds.size(), 4u);
  EXPECT_EQ(folds[0].held_out_group, "ann");
  EXPECT_EQ(folds[0].val, range(0, 4));
  EXPECT_EQ(folds[1].held_out_group, "bob");
  EXPECT_EQ(folds[1].val, range(4, 10));
  EXPECT_EQ(folds[2].held_out_group, "cy");
  EXPECT_EQ(folds[3].held_out_group, "dee");
  EXPECT_EQ(folds[3].val, range(13, 20));
  for (const Fold& f : folds) EXPECT_EQ(f.train.size() + f.val.size(), 20u);
  RowList expected_train = range(0, 4);
  for (RowIndex r : range(10, 20)) expected_train.push_back(r);
  EXPECT_EQ(folds[1].train, expected_train);
}

TEST(LeaveOneGroupOut, OnlyGroupsOfTheGivenRows) {
  const Dataset data = subjects();
  const HoldoutSplit split = holdout_groups(data, {"cy"});
  const std::vector<Fold> folds = leave_one_group_out(data, split.train);
  ASSERT_EQ(folds.size(), 3u);
  std::set<std::string> names;
  for (const Fold& f : folds) names.insert(f.held_out_group);
  EXPECT_EQ(names, (std::set<std::string>{"ann", "bob", "dee"}));
  EXPECT_TRUE(mentions(data_error_of([&] { leave_one_group_out(data, range(0, 4)); }),
                       {"at least 2 groups", "got 1"}));
}

TEST(HoldoutSubset, GroupedSplitOfAFoldsTrainingRowsStaysInsideThem) {
  const Dataset data = subjects();
  const RowList rows = range(4, 20);  // bob, cy, dee
  const HoldoutSplit inner = holdout_split(data, rows, 0.2, 7, true);
  EXPECT_FALSE(inner.test.empty());
  EXPECT_FALSE(inner.train.empty());
  EXPECT_EQ(inner.train.size() + inner.test.size(), rows.size());
  std::set<int> test_groups, train_groups;
  for (RowIndex r : inner.test) test_groups.insert(data.group[r]);
  for (RowIndex r : inner.train) train_groups.insert(data.group[r]);
  for (int g : test_groups) EXPECT_EQ(train_groups.count(g), 0u) << "a group on both sides";
  EXPECT_EQ(test_groups.count(0), 0u);  // ann is not among the rows
  EXPECT_EQ(train_groups.count(0), 0u);
}

TEST(HoldoutSubset, EveryRowIsTheSameAsTheWholeDataset) {
  const Dataset data = subjects();
  for (bool grouped : {false, true}) {
    const HoldoutSplit whole = holdout_split(data, 0.25, 11, grouped);
    const HoldoutSplit subset = holdout_split(data, range(0, 20), 0.25, 11, grouped);
    EXPECT_EQ(whole.train, subset.train);
    EXPECT_EQ(whole.test, subset.test);
  }
}

TEST(HoldoutSubset, StratifiedShareOfTheSubset) {
  const Dataset data = subjects();
  const RowList rows = range(0, 10);  // 5 of each class
  const HoldoutSplit inner = holdout_split(data, rows, 0.2, 3, false);
  // round(0.2 · 5) = 1 row of each class.
  ASSERT_EQ(inner.test.size(), 2u);
  EXPECT_NE(data.y[inner.test[0]], data.y[inner.test[1]]);
  for (RowIndex r : inner.test) EXPECT_LT(r, 10u);
}

}  // namespace
}  // namespace eegsweep
