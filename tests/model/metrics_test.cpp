#include <gtest/gtest.h>

#include <cmath>

#include "engine/model/metrics.h"

namespace eegsweep {
namespace {

ConfusionMatrix matrix(int n, std::initializer_list<std::int64_t> counts) {
  ConfusionMatrix m(n);
  m.counts.assign(counts.begin(), counts.end());
  return m;
}

TEST(Metrics, HandCheckedThreeClasses) {
  // rows = true class, columns = predicted
  const auto m = compute_metrics(matrix(3, {5, 1, 0,   //
                                            2, 3, 1,   //
                                            0, 0, 4}),
                                 0.5);
  EXPECT_DOUBLE_EQ(m.accuracy, 12.0 / 16.0);
  EXPECT_DOUBLE_EQ(m.precision[0], 5.0 / 7.0);
  EXPECT_DOUBLE_EQ(m.precision[1], 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(m.precision[2], 4.0 / 5.0);
  EXPECT_DOUBLE_EQ(m.recall[0], 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(m.recall[1], 3.0 / 6.0);
  EXPECT_DOUBLE_EQ(m.recall[2], 1.0);
  // F1 = 2PR / (P + R), reduced by hand: 2·(5/7)(5/6) / (5/7 + 5/6) = 10/13, and so on.
  EXPECT_DOUBLE_EQ(m.f1[0], 10.0 / 13.0);
  EXPECT_DOUBLE_EQ(m.f1[1], 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(m.f1[2], 8.0 / 9.0);
  EXPECT_NEAR(m.precision_macro, (5.0 / 7 + 0.75 + 0.8) / 3, 1e-12);
  EXPECT_NEAR(m.recall_macro, (5.0 / 6 + 0.5 + 1.0) / 3, 1e-12);
  // (10/13 + 3/5 + 8/9) / 3 = 1321/1755: the mean over the three classes, not over rows.
  EXPECT_NEAR(m.f1_macro, 1321.0 / 1755.0, 1e-12);
  EXPECT_EQ(m.precision.size(), 3u);
  EXPECT_EQ(m.recall.size(), 3u);
  EXPECT_EQ(m.f1.size(), 3u);
  EXPECT_DOUBLE_EQ(m.loss, 0.5);
}

TEST(Metrics, ClassNeverPredictedHasZeroPrecisionAndNoNaN) {
  // Class 2 exists (2 rows) but is never predicted.
  const auto m = compute_metrics(matrix(3, {3, 0, 0,  //
                                            1, 2, 0,  //
                                            1, 1, 0}),
                                 1.0);
  EXPECT_EQ(m.precision[2], 0.0);
  EXPECT_EQ(m.recall[2], 0.0);
  EXPECT_EQ(m.f1[2], 0.0);
  for (double v : {m.accuracy, m.precision_macro, m.recall_macro, m.f1_macro}) {
    EXPECT_FALSE(std::isnan(v));
  }
  EXPECT_DOUBLE_EQ(m.accuracy, 5.0 / 8.0);
  // Precision 3/5, 2/3, 0; recall 1, 2/3, 0; F1 3/4, 2/3, 0 (by hand). The undefined class still
  // counts in every macro average: sklearn's average='macro' with zero_division=0.
  EXPECT_NEAR(m.precision_macro, (3.0 / 5 + 2.0 / 3 + 0) / 3, 1e-12);
  EXPECT_NEAR(m.recall_macro, (1.0 + 2.0 / 3 + 0) / 3, 1e-12);
  EXPECT_NEAR(m.f1_macro, (3.0 / 4 + 2.0 / 3 + 0) / 3, 1e-12);
}

TEST(Metrics, EmptyMatrixIsAllZero) {
  const auto m = compute_metrics(ConfusionMatrix(2), 0.0);
  EXPECT_EQ(m.accuracy, 0.0);
  EXPECT_EQ(m.f1_macro, 0.0);
}

TEST(Metrics, NamesAndValues) {
  Metrics m;
  m.accuracy = 0.9;
  m.f1_macro = 0.8;
  m.loss = 0.3;
  m.precision_macro = 0.7;
  m.recall_macro = 0.6;
  EXPECT_EQ(metric_value(m, "accuracy"), 0.9);
  EXPECT_EQ(metric_value(m, "f1_macro"), 0.8);
  EXPECT_EQ(metric_value(m, "precision_macro"), 0.7);
  EXPECT_EQ(metric_value(m, "val_recall_macro"), 0.6);
  EXPECT_EQ(metric_value(m, "val_f1_macro"), 0.8);
  EXPECT_EQ(metric_value(m, "loss"), 0.3);
  EXPECT_TRUE(metric_is_known("val_accuracy"));
  EXPECT_FALSE(metric_is_known("acuracy"));
  EXPECT_THROW(metric_value(m, "auc"), std::invalid_argument);
  EXPECT_FALSE(metric_default_maximize("val_loss"));
  EXPECT_TRUE(metric_default_maximize("accuracy"));
}

TEST(Metrics, ConfusionAddAndTotal) {
  ConfusionMatrix c(2);
  c.add(0, 1);
  c.add(0, 1);
  c.add(1, 1);
  EXPECT_EQ(c.at(0, 1), 2);
  EXPECT_EQ(c.at(1, 1), 1);
  EXPECT_EQ(c.at(1, 0), 0);
  EXPECT_EQ(c.total(), 3);
}

}  // namespace
}  // namespace eegsweep
