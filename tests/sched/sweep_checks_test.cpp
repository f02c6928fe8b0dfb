// Sweeps that cannot fit their data are rejected before training, with the real numbers.
#include <gtest/gtest.h>

#include "engine/sched/sweep_checks.h"
#include "engine/sched/sweep_plan.h"

namespace eegsweep {
namespace {

std::string data_error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no DataError)";
}

// 4 groups of 15 rows; a test split of 0.5 holds out whole groups: 2 of them.
TEST(SweepChecks, GroupedFoldsSayHowManyGroupsWentToTheTestSplit) {
  const SweepSpec spec = parse_sweep(R"(
name: g
data:
  format: synthetic
  synthetic: {rows: 60, features: 8, classes: 3, groups: 4, seed: 5}
test_split: 0.5
cv: {folds: 3, group_by: group}
)",
                                     "/tmp/g.yaml");
  const std::string message = data_error_of([&] { plan_sweep(spec, load_dataset(spec)); });
  EXPECT_NE(message.find("3 grouped folds need at least 3 groups"), std::string::npos) << message;
  EXPECT_NE(message.find("the data has 4, 2 went to the test split (test_split: 0.5), 2 remain"),
            std::string::npos)
      << message;
}

TEST(SweepChecks, TimestepsNameTheValuesTrialsAndDivisors) {
  const SweepSpec spec = parse_sweep(R"(
name: t
data:
  format: synthetic
  synthetic: {rows: 60, features: 12, classes: 2, seed: 5}
parameters:
  timesteps: {values: [0, 5, 6, 8]}
)",
                                     "/tmp/t.yaml");
  const auto data = load_dataset(spec);
  const std::string message = data_error_of([&] { check_timesteps_fit(spec, expand_trials(spec), *data); });
  // Grid order: timesteps 0, 5, 6, 8 are trials 1–4; 5 and 8 do not divide 12.
  EXPECT_NE(message.find("parameters.timesteps: 5, 8 do not divide the 12 features"), std::string::npos) << message;
  EXPECT_NE(message.find("(trials 2, 4)"), std::string::npos) << message;
  EXPECT_NE(message.find("1, 2, 3, 4, 6, 12"), std::string::npos) << message;
}

TEST(SweepChecks, OneClassMuseDataTalksAboutClasses) {
  SweepSpec spec = parse_sweep("name: m\ndata: {format: muse, path: /tmp/none}\n", "/tmp/m.yaml");
  Dataset data;
  data.source = "/tmp/none";
  data.class_names = {"relaxed"};
  data.y = {0, 0, 0};
  data.group_names = {"a-relaxed-1.csv", "a-relaxed-2.csv"};
  const std::string message = data_error_of([&] { check_muse_classes(spec, data); });
  EXPECT_NE(message.find("all of one class ('relaxed', from 2 recordings)"), std::string::npos) << message;
  EXPECT_NE(message.find("at least 2 classes"), std::string::npos) << message;
}

}  // namespace
}  // namespace eegsweep
