#include "engine/data/standardize.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/data/error_matchers.h"

namespace eegsweep {
namespace {

using fixtures::data_error_of;
using fixtures::mentions;

// 6 rows × 3 features: feature 0 varies, feature 1 is constant, feature 2 has a large offset.
Dataset table() {
  Dataset data;
  data.rows = 6;
  data.features = 3;
  data.x = {1, 5, 1e4f + 1,  2, 5, 1e4f + 2,  3, 5, 1e4f + 3,
            4, 5, 1e4f + 4,  100, -7, 0,      -50, 3, 9};
  data.y = {0, 1, 0, 1, 0, 1};
  return data;
}

TEST(Standardizer, FitUsesOnlyTrainingRows) {
  const Dataset data = table();
  const Standardizer s = Standardizer::fit(data, {0, 1, 2, 3});
  // Feature 0 over rows 0..3: values 1..4, mean 2.5, population sd sqrt(1.25).
  EXPECT_FLOAT_EQ(s.mean[0], 2.5f);
  EXPECT_FLOAT_EQ(s.inv_std[0], static_cast<float>(1.0 / std::sqrt(1.25)));
  EXPECT_FLOAT_EQ(s.mean[1], 5.0f);
  EXPECT_EQ(s.inv_std[1], 1.0f);  // constant on the training rows
  EXPECT_FLOAT_EQ(s.mean[2], 1e4f + 2.5f);
  EXPECT_FLOAT_EQ(s.inv_std[2], static_cast<float>(1.0 / std::sqrt(1.25)));
  EXPECT_FLOAT_EQ(s.apply(0, 4.0f), static_cast<float>(1.5 / std::sqrt(1.25)));
}

TEST(Standardizer, ValidationRowsNeverEnterTheStatistics) {
  Dataset data = table();
  const RowList train = {0, 2, 3, 5};
  const Standardizer before = Standardizer::fit(data, train);
  // Rows 1 and 4 play validation: change them wildly.
  for (std::size_t j = 0; j < data.features; ++j) {
    data.x[1 * data.features + j] = 1e30f;
    data.x[4 * data.features + j] = -123456.0f;
  }
  const Standardizer after = Standardizer::fit(data, train);
  EXPECT_EQ(before.mean, after.mean);
  EXPECT_EQ(before.inv_std, after.inv_std);
  // …while changing a training row does change them.
  data.x[0] = 77.0f;
  EXPECT_NE(Standardizer::fit(data, train).mean, before.mean);
}

TEST(Standardizer, ConstantFeaturesGetUnitScale) {
  Dataset data;
  data.rows = 1000;
  data.features = 2;
  for (std::size_t r = 0; r < data.rows; ++r) {
    data.x.push_back(0.1f);   // constant, not exactly representable: rounding must not count
    data.x.push_back(0.0f);   // constant zero
  }
  RowList rows(data.rows);
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = static_cast<RowIndex>(r);
  const Standardizer s = Standardizer::fit(data, rows);
  EXPECT_EQ(s.inv_std, (std::vector<float>{1.0f, 1.0f}));
  EXPECT_FLOAT_EQ(s.apply(0, 0.1f), 0.0f);
  EXPECT_TRUE(std::isfinite(s.apply(1, 3.0f)));
}

TEST(Standardizer, StandardizedTrainingRowsHaveZeroMeanUnitVariance) {
  Dataset data;
  data.rows = 500;
  data.features = 1;
  for (std::size_t r = 0; r < data.rows; ++r) {
    data.x.push_back(1e6f + static_cast<float>((r * 37) % 101));
  }
  RowList rows(data.rows);
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = static_cast<RowIndex>(r);
  const Standardizer s = Standardizer::fit(data, rows);
  double sum = 0.0, sq = 0.0;
  for (std::size_t r = 0; r < data.rows; ++r) {
    const double z = s.apply(0, data.x[r]);
    sum += z;
    sq += z * z;
  }
  EXPECT_NEAR(sum / 500.0, 0.0, 1e-3);
  EXPECT_NEAR(sq / 500.0, 1.0, 1e-3);
}

// Subnormal floats (below 1.18e-38) spread by ~1e-40: 1/sd ≈ 1e40 is a finite double but
// overflows a float (max 3.4e38) to inf, which would make every trained value inf or NaN. Such a
// feature is scaled as a constant; a normal-range feature beside it is unaffected.
TEST(Standardizer, SubnormalSpreadIsScaledByAFiniteFactor) {
  Dataset data;
  data.rows = 4;
  data.features = 2;
  data.x = {1e-40f, 1, 3e-40f, 2, 1e-40f, 3, 3e-40f, 4};
  data.y = {0, 1, 0, 1};
  const Standardizer s = Standardizer::fit(data, {0, 1, 2, 3});
  EXPECT_EQ(s.inv_std[0], 1.0f);
  EXPECT_FLOAT_EQ(s.inv_std[1], static_cast<float>(1.0 / std::sqrt(1.25)));
  for (std::size_t r = 0; r < data.rows; ++r) {
    EXPECT_TRUE(std::isfinite(s.apply(0, data.row(r)[0]))) << "row " << r;
  }
}

TEST(Standardizer, Identity) {
  const Standardizer s = Standardizer::identity(4);
  EXPECT_EQ(s.mean, std::vector<float>(4, 0.0f));
  EXPECT_EQ(s.inv_std, std::vector<float>(4, 1.0f));
  EXPECT_EQ(s.apply(3, -2.5f), -2.5f);
}

TEST(Standardizer, Errors) {
  const Dataset data = table();
  EXPECT_TRUE(mentions(data_error_of([&] { Standardizer::fit(data, {}); }), {"no training rows"}));
  EXPECT_TRUE(mentions(data_error_of([&] { Standardizer::fit(data, {0, 6}); }),
                       {"row index 6", "6 rows"}));
}

}  // namespace
}  // namespace eegsweep
