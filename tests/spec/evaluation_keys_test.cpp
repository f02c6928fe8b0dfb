// Issue 11's keys: test.groups, cv.method, cv.epoch_selection — read, defaulted, and refused with
// the file, line and column when they cannot work.
#include <gtest/gtest.h>

#include "tests/spec/spec_test_util.h"

namespace eegsweep {
namespace {

using test::spec_error;

TEST(EvaluationKeys, DefaultsAreKFoldWithInnerEpochSelection) {
  const SweepSpec spec = parse_sweep("data: {format: synthetic}\n", "s.yaml");
  EXPECT_EQ(spec.cv.method, "kfold");
  EXPECT_EQ(spec.cv.epoch_selection, "inner");
  EXPECT_TRUE(spec.test.groups.empty());
}

TEST(EvaluationKeys, ReadsLeaveOneGroupOutAndTestGroups) {
  const SweepSpec spec = parse_sweep(
      "data: {format: csv, path: t.csv, group: subject}\n"
      "cv: {method: leave_one_group_out, group_by: subject, epoch_selection: fold}\n"
      "test:\n"
      "  groups: [a, c]\n",
      "s.yaml");
  EXPECT_EQ(spec.cv.method, "leave_one_group_out");
  EXPECT_EQ(spec.cv.epoch_selection, "fold");
  EXPECT_EQ(spec.test.groups, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(spec.test.groups_origin, "s.yaml:4:11");
}

TEST(EvaluationKeys, LeaveOneGroupOutNeedsGroupBy) {
  const std::string message = spec_error("data: {format: synthetic}\ncv: {method: leave_one_group_out}\n");
  EXPECT_NE(message.find("sweep.yaml:2:14"), std::string::npos) << message;
  EXPECT_NE(message.find("cv.group_by"), std::string::npos) << message;
}

TEST(EvaluationKeys, TestGroupsNeedAGroupColumn) {
  const std::string csv = spec_error("data: {format: csv, path: t.csv}\ntest: {groups: [a]}\n");
  EXPECT_NE(csv.find("sweep.yaml:2:16"), std::string::npos) << csv;
  EXPECT_NE(csv.find("data.group"), std::string::npos) << csv;
  const std::string synthetic = spec_error("data: {format: synthetic}\ntest: {groups: [rec0]}\n");
  EXPECT_NE(synthetic.find("data.synthetic.groups"), std::string::npos) << synthetic;
}

TEST(EvaluationKeys, UnknownValuesListTheAllowedOnes) {
  const std::string method = spec_error("data: {format: synthetic}\ncv: {method: loso}\n");
  EXPECT_NE(method.find("kfold, leave_one_group_out"), std::string::npos) << method;
  const std::string selection = spec_error("data: {format: synthetic}\ncv: {epoch_selection: best}\n");
  EXPECT_NE(selection.find("inner, fold"), std::string::npos) << selection;
  const std::string key = spec_error("data: {format: synthetic}\ntest: {subjects: [a]}\n");
  EXPECT_NE(key.find("test.subjects"), std::string::npos) << key;
}

}  // namespace
}  // namespace eegsweep
