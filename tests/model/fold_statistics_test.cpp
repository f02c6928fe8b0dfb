// Expected values come from closed forms of Student's t (df = 1, 2, 3) and hand calculation.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/model/fold_statistics.h"

namespace eegsweep {
namespace {

const double pi = std::acos(-1.0);

// Closed forms of the t distribution's cdf.
double cdf_df1(double t) { return 0.5 + std::atan(t) / pi; }
double cdf_df2(double t) { return 0.5 + t / (2.0 * std::sqrt(2.0 + t * t)); }
double cdf_df3(double t) {
  const double s = std::sqrt(3.0);
  return 0.5 + (t / (s * (1.0 + t * t / 3.0)) + std::atan(t / s)) / pi;
}

TEST(FoldStatistics, TCdfMatchesClosedForms) {
  for (double t : {-4.0, -1.3, -0.2, 0.0, 0.5, 1.0, 2.0, 7.5}) {
    EXPECT_NEAR(student_t_cdf(t, 1), cdf_df1(t), 1e-12) << t;
    EXPECT_NEAR(student_t_cdf(t, 2), cdf_df2(t), 1e-12) << t;
    EXPECT_NEAR(student_t_cdf(t, 3), cdf_df3(t), 1e-12) << t;
  }
}

TEST(FoldStatistics, TQuantileInvertsClosedForms) {
  // df = 1: the quantile is tan(π (p − 1/2)); df = 2: t = (2p − 1) sqrt(2 / (4p(1 − p))).
  EXPECT_NEAR(student_t_quantile(0.975, 1), std::tan(pi * 0.475), 1e-9);
  const double p = 0.975;
  EXPECT_NEAR(student_t_quantile(p, 2), (2 * p - 1) * std::sqrt(2.0 / (4 * p * (1 - p))), 1e-9);
  // Published table values (two-sided 95 %): df 4 → 2.776, df 9 → 2.262.
  EXPECT_NEAR(student_t_quantile(0.975, 4), 2.776445, 1e-6);
  EXPECT_NEAR(student_t_quantile(0.975, 9), 2.262157, 1e-6);
}

TEST(FoldStatistics, MeanIntervalByHand) {
  // 0.6, 0.7, 0.8: mean 0.7, sample sd 0.1, se 0.1/sqrt(3); t(0.975, 2) = 4.302653.
  const MeanInterval m = mean_interval({0.6, 0.7, 0.8});
  EXPECT_EQ(m.n, 3);
  EXPECT_NEAR(m.mean, 0.7, 1e-12);
  EXPECT_NEAR(m.std_error, 0.1 / std::sqrt(3.0), 1e-12);
  EXPECT_NEAR(m.low, 0.7 - 4.302653 * 0.1 / std::sqrt(3.0), 1e-6);
  EXPECT_NEAR(m.high, 0.7 + 4.302653 * 0.1 / std::sqrt(3.0), 1e-6);
  const MeanInterval one = mean_interval({0.9});
  EXPECT_EQ(one.std_error, 0);
  EXPECT_EQ(one.low, 0.9);
}

TEST(FoldStatistics, PairedTTestByHand) {
  // Differences 0.1, 0.05, 0.1, −0.02: mean 0.0575; squared deviations sum to 0.009675, so
  // sd = sqrt(0.009675 / 3), se = sd / 2, t = 0.0575 / se ≈ 2.02504; p = 2 (1 − F3(t)).
  const PairedTest r = paired_t_test({0.8, 0.7, 0.9, 0.6}, {0.7, 0.65, 0.8, 0.62});
  const double se = std::sqrt(0.009675 / 3.0) / 2.0;
  const double t = 0.0575 / se;
  EXPECT_EQ(r.n, 4);
  EXPECT_NEAR(r.mean_difference, 0.0575, 1e-12);
  EXPECT_NEAR(r.t, t, 1e-9);
  EXPECT_NEAR(r.t, 2.02504, 1e-4);
  EXPECT_NEAR(r.p_value, 2.0 * (1.0 - cdf_df3(t)), 1e-10);
  // Swapping the trials flips the sign, not the p-value.
  const PairedTest swapped = paired_t_test({0.7, 0.65, 0.8, 0.62}, {0.8, 0.7, 0.9, 0.6});
  EXPECT_NEAR(swapped.t, -t, 1e-9);
  EXPECT_NEAR(swapped.p_value, r.p_value, 1e-12);
}

TEST(FoldStatistics, PairedTTestEdgeCases) {
  EXPECT_EQ(paired_t_test({0.5, 0.6}, {0.5, 0.6}).p_value, 1.0);
  EXPECT_EQ(paired_t_test({0.75, 0.5}, {0.5, 0.25}).p_value, 0.0);  // every difference 0.25
  EXPECT_THROW(paired_t_test({0.5}, {0.5}), std::invalid_argument);
  EXPECT_THROW(paired_t_test({0.5, 0.6}, {0.5}), std::invalid_argument);
}

}  // namespace
}  // namespace eegsweep
