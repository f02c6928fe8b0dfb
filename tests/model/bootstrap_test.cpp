// The test score's bootstrap interval; expectations from the resampling distribution worked out
// by hand for tiny test sets.
#include <gtest/gtest.h>

#include "engine/model/bootstrap.h"

namespace eegsweep {
namespace {

ConfusionMatrix group(int right, int wrong) {  // two classes; every row of class 0
  ConfusionMatrix m(2);
  for (int i = 0; i < right; ++i) m.add(0, 0);
  for (int i = 0; i < wrong; ++i) m.add(0, 1);
  return m;
}

TEST(Bootstrap, PerfectGroupsGiveAPointInterval) {
  const BootstrapInterval r = bootstrap_interval({group(5, 0), group(3, 0), group(9, 0)}, false, 1);
  EXPECT_EQ(r.low, 1.0);
  EXPECT_EQ(r.high, 1.0);
  EXPECT_EQ(r.units, 3);
}

TEST(Bootstrap, TwoOppositeGroupsSpanTheWholeRange) {
  // Groups of equal size, one all right and one all wrong: a resample of 2 groups scores 0
  // (p = 1/4), 0.5 (p = 1/2) or 1 (p = 1/4), so the 2.5th and 97.5th percentiles are 0 and 1.
  const BootstrapInterval r = bootstrap_interval({group(10, 0), group(0, 10)}, false, 7);
  EXPECT_EQ(r.low, 0.0);
  EXPECT_EQ(r.high, 1.0);
}

TEST(Bootstrap, ResamplingGroupsIsWiderThanResamplingTheirRows) {
  // 4 groups of 25 rows at accuracy 1, 1, 0.2, 0.2 (pooled 0.6): whole groups vary far more than
  // 100 independent rows would.
  const std::vector<ConfusionMatrix> groups = {group(25, 0), group(25, 0), group(5, 20), group(5, 20)};
  ConfusionMatrix pooled(2);
  for (const auto& g : groups) {
    for (std::size_t c = 0; c < pooled.counts.size(); ++c) pooled.counts[c] += g.counts[c];
  }
  const BootstrapInterval by_group = bootstrap_interval(groups, false, 3);
  const BootstrapInterval by_row = bootstrap_interval(row_units(pooled), false, 3);
  EXPECT_EQ(by_row.units, 100);
  EXPECT_LT(by_group.low, by_row.low);
  EXPECT_GT(by_group.high, by_row.high);
  EXPECT_LT(by_row.low, 0.6);
  EXPECT_GT(by_row.high, 0.6);
}

TEST(Bootstrap, SameSeedSameInterval) {
  const std::vector<ConfusionMatrix> groups = {group(7, 3), group(2, 8), group(6, 4), group(9, 1)};
  const BootstrapInterval a = bootstrap_interval(groups, true, 11);
  const BootstrapInterval b = bootstrap_interval(groups, true, 11);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
}

TEST(Bootstrap, RowUnitsKeepEveryCell) {
  ConfusionMatrix m(2);
  m.add(0, 0);
  m.add(0, 1);
  m.add(1, 1);
  m.add(1, 1);
  const auto rows = row_units(m);
  ASSERT_EQ(rows.size(), 4u);
  ConfusionMatrix sum(2);
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < sum.counts.size(); ++c) sum.counts[c] += r.counts[c];
  }
  EXPECT_EQ(sum.counts, m.counts);
  EXPECT_THROW(bootstrap_interval({}, false, 1), std::invalid_argument);
}

}  // namespace
}  // namespace eegsweep
