#include "engine/data/splits.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "engine/data/synthetic.h"
#include "tests/data/error_matchers.h"

namespace eegsweep {
namespace {

using fixtures::data_error_of;
using fixtures::mentions;

// A labels-only dataset: splits look at nothing else.
Dataset labelled(const std::vector<int>& y, const std::vector<int>& group = {}) {
  Dataset data;
  data.rows = y.size();
  data.features = 1;
  data.x.assign(y.size(), 0.0f);
  data.y = y;
  int classes = 0;
  for (int label : y) classes = std::max(classes, label + 1);
  for (int c = 0; c < classes; ++c) data.class_names.push_back("c" + std::to_string(c));
  if (!group.empty()) {
    data.group = group;
    data.group_column = "recording";
    int groups = 0;
    for (int g : group) groups = std::max(groups, g + 1);
    for (int g = 0; g < groups; ++g) data.group_names.push_back("g" + std::to_string(g));
  }
  return data;
}

// Imbalanced classes: 50, 31, 7 rows, in a scrambled order.
std::vector<int> imbalanced_labels() {
  std::vector<int> y;
  for (int i = 0; i < 88; ++i) y.push_back(i % 11 < 6 ? 0 : (i % 11 < 10 ? 1 : 2));
  // 88 = 8 × 11 → class 0: 48, class 1: 32, class 2: 8; make it 50/31/7.
  y[10] = 0;   // was class 2
  y[21] = 0;   // was class 2
  y[6] = 2;    // was class 1
  return y;
}

std::map<int, int> class_counts(const Dataset& data, const RowList& rows) {
  std::map<int, int> counts;
  for (RowIndex r : rows) ++counts[data.y[r]];
  return counts;
}

RowList all_rows(const Dataset& data) {
  RowList rows(data.rows);
  for (std::size_t r = 0; r < data.rows; ++r) rows[r] = static_cast<RowIndex>(r);
  return rows;
}

// Every row of `rows` validates exactly once; each fold's train is exactly the rest; sorted.
void expect_partition(const std::vector<Fold>& folds, const RowList& rows) {
  std::map<RowIndex, int> validated;
  const std::set<RowIndex> universe(rows.begin(), rows.end());
  for (const Fold& fold : folds) {
    EXPECT_FALSE(fold.val.empty());
    EXPECT_TRUE(std::is_sorted(fold.val.begin(), fold.val.end()));
    EXPECT_TRUE(std::is_sorted(fold.train.begin(), fold.train.end()));
    std::set<RowIndex> val(fold.val.begin(), fold.val.end());
    std::set<RowIndex> train(fold.train.begin(), fold.train.end());
    EXPECT_EQ(val.size(), fold.val.size()) << "duplicate validation rows";
    EXPECT_EQ(train.size(), fold.train.size()) << "duplicate training rows";
    for (RowIndex r : fold.val) {
      EXPECT_EQ(train.count(r), 0u) << "row " << r << " both trains and validates";
      ++validated[r];
    }
    std::set<RowIndex> both = val;
    both.insert(train.begin(), train.end());
    EXPECT_EQ(both, universe);
  }
  EXPECT_EQ(validated.size(), universe.size());
  for (const auto& [row, times] : validated) EXPECT_EQ(times, 1) << "row " << row;
}

TEST(Holdout, StratifiedCountsAndPartition) {
  const Dataset data = labelled(imbalanced_labels());
  const auto total = class_counts(data, all_rows(data));
  ASSERT_EQ(total, (std::map<int, int>{{0, 50}, {1, 31}, {2, 7}}));
  const HoldoutSplit split = holdout_split(data, 0.2, 42);
  const auto test = class_counts(data, split.test);
  for (const auto& [c, n] : total) {
    EXPECT_EQ(test.at(c), static_cast<int>(std::lround(0.2 * n))) << "class " << c;
  }
  EXPECT_TRUE(std::is_sorted(split.train.begin(), split.train.end()));
  EXPECT_TRUE(std::is_sorted(split.test.begin(), split.test.end()));
  RowList merged = split.train;
  merged.insert(merged.end(), split.test.begin(), split.test.end());
  std::sort(merged.begin(), merged.end());
  EXPECT_EQ(merged, all_rows(data));
}

TEST(Holdout, SmallClassStillGetsOneTestRow) {
  const Dataset data = labelled({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1});
  const HoldoutSplit split = holdout_split(data, 0.1, 1);
  EXPECT_EQ(class_counts(data, split.test), (std::map<int, int>{{0, 1}, {1, 1}}));
}

TEST(Holdout, ZeroFractionKeepsEverythingForTraining) {
  const Dataset data = labelled(imbalanced_labels());
  const HoldoutSplit split = holdout_split(data, 0.0, 42);
  EXPECT_TRUE(split.test.empty());
  EXPECT_EQ(split.train, all_rows(data));
}

TEST(Holdout, SeedDecides) {
  const Dataset data = labelled(imbalanced_labels());
  EXPECT_EQ(holdout_split(data, 0.25, 5).test, holdout_split(data, 0.25, 5).test);
  EXPECT_NE(holdout_split(data, 0.25, 5).test, holdout_split(data, 0.25, 6).test);
}

TEST(Holdout, ByGroupMovesWholeGroups) {
  SyntheticSpec spec;
  spec.rows = 300;
  spec.features = 4;
  spec.groups = 10;
  const Dataset data = make_synthetic(spec);
  const HoldoutSplit split = holdout_split(data, 0.2, 9, true);
  std::set<int> test_groups, train_groups;
  for (RowIndex r : split.test) test_groups.insert(data.group[r]);
  for (RowIndex r : split.train) train_groups.insert(data.group[r]);
  for (int g : test_groups) EXPECT_EQ(train_groups.count(g), 0u) << "group " << g << " straddles";
  EXPECT_EQ(split.test.size() + split.train.size(), data.rows);
  EXPECT_EQ(split.test.size(), 60u);  // 10 groups of 30: two whole groups are 20 %
  // Another seed picks other groups.
  std::set<int> other;
  for (RowIndex r : holdout_split(data, 0.2, 10, true).test) other.insert(data.group[r]);
  std::set<int> again;
  for (RowIndex r : holdout_split(data, 0.2, 9, true).test) again.insert(data.group[r]);
  EXPECT_EQ(again, test_groups);
  bool differs = other != test_groups;
  for (std::uint64_t seed = 11; seed < 20 && !differs; ++seed) {
    std::set<int> s;
    for (RowIndex r : holdout_split(data, 0.2, seed, true).test) s.insert(data.group[r]);
    differs = s != test_groups;
  }
  EXPECT_TRUE(differs);
}

TEST(Holdout, Errors) {
  const Dataset data = labelled({0, 1, 0, 1});
  EXPECT_TRUE(mentions(data_error_of([&] { holdout_split(data, 1.0, 1); }), {"[0, 1)"}));
  EXPECT_TRUE(mentions(data_error_of([&] { holdout_split(data, -0.1, 1); }), {"[0, 1)"}));
  EXPECT_TRUE(mentions(data_error_of([&] { holdout_split(data, 0.5, 1, true); }), {"no group"}));
}

TEST(KFold, StratifiedPartitionAndClassBalance) {
  const Dataset data = labelled(imbalanced_labels());
  const HoldoutSplit split = holdout_split(data, 0.2, 42);
  for (int k : {2, 3, 5, 7}) {
    KFoldOptions options;
    options.folds = k;
    options.seed = 17;
    const auto folds = kfold(data, split.train, options);
    ASSERT_EQ(folds.size(), static_cast<std::size_t>(k));
    expect_partition(folds, split.train);
    const auto total = class_counts(data, split.train);
    std::size_t smallest = split.train.size(), largest = 0;
    for (const Fold& fold : folds) {
      const auto counts = class_counts(data, fold.val);
      for (const auto& [c, n] : total) {
        const double ideal = static_cast<double>(n) / k;
        const double got = counts.count(c) ? counts.at(c) : 0;
        EXPECT_LT(std::fabs(got - ideal), 1.0) << "k " << k << " class " << c;
      }
      smallest = std::min(smallest, fold.val.size());
      largest = std::max(largest, fold.val.size());
    }
    EXPECT_LE(largest - smallest, 1u) << "k " << k;
  }
}

TEST(KFold, PlainPartitionsAndBalancesSizes) {
  const Dataset data = labelled(imbalanced_labels());
  KFoldOptions options;
  options.folds = 5;
  options.stratified = false;
  options.seed = 3;
  const auto folds = kfold(data, all_rows(data), options);
  expect_partition(folds, all_rows(data));
  for (const Fold& fold : folds) {
    EXPECT_TRUE(fold.val.size() == 17 || fold.val.size() == 18) << fold.val.size();
  }
}

TEST(KFold, SameSeedSameFoldsOtherSeedOtherFolds) {
  const Dataset data = labelled(imbalanced_labels());
  for (bool stratified : {true, false}) {
    KFoldOptions options;
    options.stratified = stratified;
    options.seed = 100;
    const auto a = kfold(data, all_rows(data), options);
    const auto b = kfold(data, all_rows(data), options);
    options.seed = 101;
    const auto c = kfold(data, all_rows(data), options);
    for (std::size_t f = 0; f < a.size(); ++f) {
      EXPECT_EQ(a[f].val, b[f].val);
      EXPECT_EQ(a[f].train, b[f].train);
    }
    bool differs = false;
    for (std::size_t f = 0; f < a.size(); ++f) differs = differs || a[f].val != c[f].val;
    EXPECT_TRUE(differs) << "stratified " << stratified;
  }
}

TEST(KFold, GroupedKeepsGroupsWholeAndBalances) {
  // 12 recordings of uneven size; each recording holds a single class, as a Muse recording does.
  std::vector<int> y, group;
  const int sizes[] = {30, 28, 26, 25, 24, 22, 20, 20, 18, 16, 12, 9};
  for (int g = 0; g < 12; ++g) {
    for (int i = 0; i < sizes[g]; ++i) {
      y.push_back(g % 3);
      group.push_back(g);
    }
  }
  const Dataset data = labelled(y, group);
  KFoldOptions options;
  options.folds = 3;
  options.grouped = true;
  options.seed = 5;
  const auto folds = kfold(data, all_rows(data), options);
  expect_partition(folds, all_rows(data));
  std::map<int, int> fold_of_group;
  for (std::size_t f = 0; f < folds.size(); ++f) {
    for (RowIndex r : folds[f].val) {
      auto [it, inserted] = fold_of_group.emplace(data.group[r], static_cast<int>(f));
      EXPECT_EQ(it->second, static_cast<int>(f)) << "group " << data.group[r] << " in two folds";
    }
    // Stratified as far as groups allow: every fold validates on every class.
    EXPECT_EQ(class_counts(data, folds[f].val).size(), 3u) << "fold " << f;
    // Sizes near the ideal 83.3 (the groups are 9 to 30 rows).
    EXPECT_NEAR(static_cast<double>(folds[f].val.size()), 250.0 / 3.0, 15.0) << "fold " << f;
  }
  EXPECT_EQ(fold_of_group.size(), 12u);
}

TEST(KFold, GroupedFillsEveryFoldWithOneGiantGroup) {
  std::vector<int> y, group;
  for (int i = 0; i < 100; ++i) {
    y.push_back(i % 2);
    group.push_back(0);
  }
  for (int g = 1; g <= 4; ++g) {
    y.push_back(g % 2);
    group.push_back(g);
  }
  const Dataset data = labelled(y, group);
  KFoldOptions options;
  options.folds = 5;
  options.grouped = true;
  const auto folds = kfold(data, all_rows(data), options);
  expect_partition(folds, all_rows(data));
}

TEST(KFold, GroupedSeedDecidesAmongEqualGroups) {
  SyntheticSpec spec;
  spec.rows = 120;
  spec.features = 2;
  spec.groups = 12;
  const Dataset data = make_synthetic(spec);
  KFoldOptions options;
  options.folds = 4;
  options.grouped = true;
  options.seed = 1;
  const auto a = kfold(data, all_rows(data), options);
  expect_partition(a, all_rows(data));
  const auto b = kfold(data, all_rows(data), options);
  bool differs = false;
  for (std::uint64_t seed = 2; seed < 6 && !differs; ++seed) {
    options.seed = seed;
    const auto c = kfold(data, all_rows(data), options);
    for (std::size_t f = 0; f < a.size(); ++f) differs = differs || a[f].val != c[f].val;
  }
  for (std::size_t f = 0; f < a.size(); ++f) EXPECT_EQ(a[f].val, b[f].val);
  EXPECT_TRUE(differs);
}

TEST(KFold, Errors) {
  const Dataset data = labelled({0, 1, 0, 1, 0, 1}, {0, 0, 1, 1, 2, 2});
  const RowList rows = all_rows(data);
  KFoldOptions options;
  options.folds = 1;
  EXPECT_TRUE(mentions(data_error_of([&] { kfold(data, rows, options); }), {"at least 2", "1"}));
  options.folds = 7;
  EXPECT_TRUE(mentions(data_error_of([&] { kfold(data, rows, options); }),
                       {"7 folds", "got 6"}));
  options.folds = 4;
  options.grouped = true;
  EXPECT_TRUE(mentions(data_error_of([&] { kfold(data, rows, options); }),
                       {"4 folds need at least 4 groups", "recording", "got 3"}));
  const Dataset plain = labelled({0, 1, 0, 1, 0, 1});
  options.folds = 2;
  EXPECT_TRUE(mentions(data_error_of([&] { kfold(plain, rows, options); }), {"group column"}));
  options.grouped = false;
  EXPECT_TRUE(mentions(data_error_of([&] { kfold(plain, RowList{0, 1, 9}, options); }),
                       {"row index 9"}));
}

}  // namespace
}  // namespace eegsweep
