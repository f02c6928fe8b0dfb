// Parameter importance (η², the correlation ratio) against hand-computed values.
#include <gtest/gtest.h>

#include <stdexcept>

#include "engine/report/importance.h"

namespace eegsweep::report {
namespace {

TEST(CorrelationRatio, IsOneWhenTheGroupsDetermineTheScore) {
  EXPECT_DOUBLE_EQ(correlation_ratio({"a", "a", "b", "b"}, {0.1, 0.1, 0.7, 0.7}), 1.0);
}

TEST(CorrelationRatio, MatchesAHandComputedAnova) {
  // mean 2.5; total Σ(x−2.5)² = 2.25+0.25+0.25+2.25 = 5; group means 2 and 3, between
  // 2·0.25 + 2·0.25 = 1 → η² = 0.2.
  EXPECT_DOUBLE_EQ(correlation_ratio({"a", "a", "b", "b"}, {1, 3, 2, 4}), 0.2);
}

TEST(CorrelationRatio, IsZeroWhenScoresDoNotVaryOrGroupsAreBalanced) {
  EXPECT_EQ(correlation_ratio({"a", "b"}, {0.5, 0.5}), 0.0);
  EXPECT_EQ(correlation_ratio({}, {}), 0.0);
  // Both groups have mean 2.5.
  EXPECT_DOUBLE_EQ(correlation_ratio({"x", "y", "x", "y"}, {1, 1, 4, 4}), 0.0);
}

TEST(CorrelationRatio, RejectsColumnsOfDifferentLengths) {
  EXPECT_THROW(correlation_ratio({"a"}, {1, 2}), std::invalid_argument);
}

TEST(QuantileBins, CutsIntoEqualCountBinsAndKeepsEqualValuesTogether) {
  const auto bins = quantile_bins({5, 1, 4, 2, 3, 6}, 3);
  EXPECT_EQ(bins, (std::vector<std::string>{"2", "0", "1", "0", "1", "2"}));
  const auto tied = quantile_bins({1, 1, 1, 2}, 2);
  EXPECT_EQ(tied, (std::vector<std::string>{"0", "0", "0", "1"}));
}

// The synthetic table of the issue: `a` determines the score, `b` is balanced noise, `c` is
// numeric with many values and identical to the score.
TEST(ParameterImportance, RanksTheParameterThatDeterminesTheScoreFirst) {
  ParameterColumn a{"a", {}, {}}, b{"b", {}, {}};
  std::vector<double> scores;
  for (int i = 0; i < 8; ++i) {
    const int level = i / 2 + 1;  // 1 1 2 2 3 3 4 4
    a.values.push_back(std::to_string(level));
    a.numbers.push_back(level);
    b.values.push_back(i % 2 ? "y" : "x");  // x and y each see every level once
    scores.push_back(0.1 * level);
  }
  const auto ranked = parameter_importance({b, a}, scores);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].name, "a");
  EXPECT_NEAR(ranked[0].importance, 1.0, 1e-12);
  EXPECT_EQ(ranked[1].name, "b");
  EXPECT_NEAR(ranked[1].importance, 0.0, 1e-12);
}

TEST(ParameterImportance, BinsManyValuedNumbersIntoEqualCountBins) {
  // Scores 1..96 against themselves in 8 bins of 12: the within-bin variance of 12 consecutive
  // integers is (12²−1)/12 and the total (96²−1)/12, so η² = 1 − 143/9215.
  ParameterColumn c{"c", {}, {}};
  std::vector<double> scores;
  for (int v = 1; v <= 96; ++v) {
    c.values.push_back(std::to_string(v));
    c.numbers.push_back(v);
    scores.push_back(v);
  }
  const auto ranked = parameter_importance({c}, scores, 8);
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_NEAR(ranked[0].importance, 1.0 - 143.0 / 9215.0, 1e-12);
}

}  // namespace
}  // namespace eegsweep::report
