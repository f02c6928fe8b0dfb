// W&B's hyperband (wandb/sweeps hyperband_stopping.py) worked by hand: bands, the cut-off element
// floor(n / eta) of the sorted values at a band, ties surviving, strict and not strict.
#include <gtest/gtest.h>

#include "engine/search/forgiving.h"
#include "engine/search/hyperband.h"

namespace eegsweep {
namespace {

HyperbandSettings max_iter(int max, int s, double eta) {
  HyperbandSettings h;
  h.max_iter = max;
  h.s = s;
  h.eta = eta;
  return h;
}

TEST(HyperbandBands, MaxIterDividesByEtaToTheK) {
  // 27/3 = 9, 27/9 = 3, ascending (W&B's documented example).
  EXPECT_EQ(hyperband_bands(max_iter(27, 2, 3), 100), (std::vector<int>{3, 9}));
  // 10/2 = 5, 10/4 = 2.5 → 2, 10/8 = 1.25 → 1, 10/16 = 0.625 → 0 dropped.
  EXPECT_EQ(hyperband_bands(max_iter(10, 4, 2), 100), (std::vector<int>{1, 2, 5}));
}

TEST(HyperbandBands, MinIterMultipliesByEtaUpToTheEpochs) {
  HyperbandSettings h;
  h.min_iter = 2;
  h.eta = 3;
  // 2, 6, 18, 54 > 30 stops.
  EXPECT_EQ(hyperband_bands(h, 30), (std::vector<int>{2, 6, 18}));
}

TEST(HyperbandBands, BandsBeyondTheEpochsAreLeftOut) {
  EXPECT_EQ(hyperband_bands(max_iter(27, 2, 3), 5), (std::vector<int>{3}));
}

TEST(HyperbandCheck, StopsAboveTheCutOffElementFloorNOverEta) {
  const std::vector<std::vector<double>> others = {
      {9, 9, 0.1}, {9, 9, 0.2}, {9, 9, 0.3}, {9, 9, 0.4}, {9, 9, 0.5}};
  // Values at band 3: 0.1 0.2 0.3 0.4 0.45 0.5 → n = 6, element floor(6/3) = 2 → 0.3.
  const auto stop = hyperband_check({3}, 3, true, {1, 1, 0.45}, others);
  ASSERT_TRUE(stop.has_value());
  EXPECT_EQ(stop->band, 3);
  EXPECT_DOUBLE_EQ(stop->cutoff, 0.3);
  EXPECT_DOUBLE_EQ(stop->value, 0.45);
}

TEST(HyperbandCheck, TiesSurvive) {
  const std::vector<std::vector<double>> others = {{0.1, 0.1, 0.1}, {0.2, 0.2, 0.2}, {0.3, 0.3, 0.3},
                                                   {0.4, 0.4, 0.4}, {0.5, 0.5, 0.5}};
  // Own 0.25: 0.1 0.2 0.25 0.3 0.4 0.5 → element 2 is its own value: not worse, survives.
  EXPECT_FALSE(hyperband_check({3}, 3, true, {1, 1, 0.25}, others).has_value());
  // Own 0.3: 0.1 0.2 0.3 0.3 … → cut-off 0.3, equal: survives.
  EXPECT_FALSE(hyperband_check({3}, 3, true, {1, 1, 0.3}, others).has_value());
}

TEST(HyperbandCheck, AloneAtABandSurvives) {
  // The other curve never reached band 3, so only the trial's own value is there.
  EXPECT_FALSE(hyperband_check({3}, 3, true, {5, 5, 5}, {{0.1, 0.1}}).has_value());
}

TEST(HyperbandCheck, NotStrictJudgesTheBestValueSoFar) {
  const std::vector<std::vector<double>> others = {{0, 0, 0.1}, {0, 0, 0.3}};
  // Band 3 values 0.1 0.3 0.8 → element floor(3/3) = 1 → 0.3. Strict: 0.8 > 0.3 stops; not
  // strict: min(0.2, 0.9, 0.8) = 0.2 ≤ 0.3 survives.
  const auto strict = hyperband_check({3}, 3, true, {0.2, 0.9, 0.8}, others);
  ASSERT_TRUE(strict.has_value());
  EXPECT_DOUBLE_EQ(strict->value, 0.8);
  EXPECT_FALSE(hyperband_check({3}, 3, false, {0.2, 0.9, 0.8}, others).has_value());
}

TEST(HyperbandCheck, JudgedAtTheLargestBandReached) {
  // Bands 1 and 3, curve of 4 epochs: band 3. Values at 3: 0.1, 0.2, own 0.6 → element 1 = 0.2.
  const auto stop = hyperband_check({1, 3}, 3, true, {0.0, 0.5, 0.6, 0.7}, {{0.1, 0.1, 0.1}, {0.2, 0.2, 0.2}});
  ASSERT_TRUE(stop.has_value());
  EXPECT_EQ(stop->band, 3);
  EXPECT_DOUBLE_EQ(stop->cutoff, 0.2);
  // Before the first band nothing is judged.
  EXPECT_FALSE(hyperband_check({3}, 3, true, {9, 9}, {{0, 0, 0}}).has_value());
}

TEST(ForgivingCheck, StopsAFoldWorseThanTheIncumbentsWorstFold) {
  const std::vector<double> incumbent = {0.2, 0.35, 0.3};
  const auto stop = forgiving_check(0.36, incumbent);
  ASSERT_TRUE(stop.has_value());
  EXPECT_DOUBLE_EQ(stop->cutoff, 0.35);
  EXPECT_DOUBLE_EQ(stop->value, 0.36);
  EXPECT_FALSE(forgiving_check(0.35, incumbent).has_value());  // a tie survives
  EXPECT_FALSE(forgiving_check(0.34, incumbent).has_value());
  EXPECT_FALSE(forgiving_check(10, {}).has_value());  // no incumbent yet
}

}  // namespace
}  // namespace eegsweep
