// The unit plan on its own: which (trial, fold) comes next, what cancelling a trial drops, and
// the fold-major order, all without a store or any training. Expected orders are written out by
// hand from the documented rules.
#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>
#include <vector>

#include "engine/sched/unit_plan.h"

namespace eegsweep {
namespace {

using Step = UnitPlan::Step;
using TrialFold = std::pair<std::int64_t, int>;

TrialFold take(UnitPlan& plan) {
  EXPECT_EQ(plan.next_step(), Step::run_unit);
  const Unit u = plan.take_unit();
  return {u.trial_id, u.fold};
}

TEST(UnitPlan, AsksForATrialWhenNothingIsReady) {
  UnitPlan plan;
  EXPECT_EQ(plan.next_step(), Step::claim_trial);
  plan.no_more_trials();
  EXPECT_EQ(plan.next_step(), Step::done);
  EXPECT_THROW(plan.take_unit(), std::logic_error);
}

TEST(UnitPlan, TrialMajorRunsEveryFoldOfATrialBeforeClaimingTheNext) {
  UnitPlan plan;
  plan.add_trial(10, 1, {0, 1, 2});
  EXPECT_EQ(take(plan), TrialFold(10, 0));
  EXPECT_EQ(take(plan), TrialFold(10, 1));
  EXPECT_EQ(take(plan), TrialFold(10, 2));
  EXPECT_EQ(plan.in_flight(), 3);
  EXPECT_EQ(plan.next_step(), Step::claim_trial);
  plan.add_trial(11, 2, {0, 1, 2});
  EXPECT_EQ(take(plan), TrialFold(11, 0));
  plan.no_more_trials();
  EXPECT_EQ(take(plan), TrialFold(11, 1));
  EXPECT_EQ(take(plan), TrialFold(11, 2));
  EXPECT_EQ(plan.next_step(), Step::wait);  // six units in flight, nothing else to start
}

TEST(UnitPlan, ATrialIsCompleteWhenItsLastFoldIsStored) {
  UnitPlan plan;
  plan.add_trial(7, 3, {0, 1});
  const Unit a = plan.take_unit();
  const Unit b = plan.take_unit();
  EXPECT_EQ(a.trial_number, 3);
  plan.no_more_trials();
  // They come back in the other order: completion order does not matter.
  EXPECT_TRUE(plan.unit_returned(b));
  EXPECT_FALSE(plan.fold_stored(b));
  EXPECT_EQ(plan.folds_left(7), (std::set<int>{0}));
  EXPECT_EQ(plan.next_step(), Step::wait);
  EXPECT_TRUE(plan.unit_returned(a));
  EXPECT_TRUE(plan.fold_stored(a));
  EXPECT_FALSE(plan.is_active(7));
  EXPECT_TRUE(plan.active_trials().empty());
  EXPECT_EQ(plan.next_step(), Step::done);
}

// A resumed trial queues only the folds that are not stored yet.
TEST(UnitPlan, AResumedTrialRunsOnlyItsMissingFolds) {
  UnitPlan plan;
  plan.add_trial(5, 1, {2});
  plan.add_trial(6, 2, {});  // nothing left: never active, the runner finishes it at once
  plan.no_more_trials();
  EXPECT_FALSE(plan.is_active(6));
  EXPECT_EQ(take(plan), TrialFold(5, 2));
  EXPECT_EQ(plan.next_step(), Step::wait);
}

// A failed fold (or a pruner) cancels a trial: its queued units are dropped, units still in
// flight come back unwanted, and the next trial's units are untouched.
TEST(UnitPlan, CancellingATrialDropsItsRemainingUnits) {
  UnitPlan plan;
  plan.add_trial(1, 1, {0, 1, 2, 3});
  plan.add_trial(2, 2, {0, 1});
  plan.no_more_trials();
  const Unit first = plan.take_unit();
  const Unit second = plan.take_unit();
  ASSERT_EQ(first.fold, 0);
  ASSERT_EQ(second.fold, 1);
  plan.cancel_trial(1);
  EXPECT_FALSE(plan.is_active(1));
  EXPECT_EQ(plan.folds_left(1), std::set<int>{});
  EXPECT_EQ(take(plan), TrialFold(2, 0));  // trial 1's folds 2 and 3 are gone
  EXPECT_EQ(take(plan), TrialFold(2, 1));
  EXPECT_EQ(plan.next_step(), Step::wait);
  EXPECT_FALSE(plan.unit_returned(first));
  EXPECT_FALSE(plan.unit_returned(second));
  EXPECT_FALSE(plan.fold_stored(second));  // storing for a cancelled trial changes nothing
  EXPECT_EQ(plan.active_trials(), std::vector<std::int64_t>{2});
}

// Interrupted: the unit came back unstored. Its trial stays active (to be released) and the
// unit is not queued again.
TEST(UnitPlan, AnInterruptedUnitLeavesItsTrialActiveForRelease) {
  UnitPlan plan;
  plan.add_trial(9, 1, {0});
  plan.no_more_trials();
  const Unit u = plan.take_unit();
  EXPECT_TRUE(plan.unit_returned(u));
  EXPECT_EQ(plan.next_step(), Step::done);
  EXPECT_EQ(plan.active_trials(), std::vector<std::int64_t>{9});
  EXPECT_EQ(plan.folds_left(9), std::set<int>{0});
  EXPECT_THROW(plan.unit_returned(u), std::logic_error);  // it already came back
}

// Fold-major: every trial's first fold before any trial's second, asking for every trial first.
TEST(UnitPlan, FoldMajorRunsTheFirstFoldOfEveryTrialFirst) {
  UnitPlan plan(UnitPlan::Order::fold_major);
  EXPECT_EQ(plan.next_step(), Step::claim_trial);
  plan.add_trial(1, 1, {0, 1, 2});
  EXPECT_EQ(take(plan), TrialFold(1, 0));
  EXPECT_EQ(plan.next_step(), Step::claim_trial) << "fold 1 must wait for other trials' fold 0";
  plan.add_trial(2, 2, {0, 1, 2});
  plan.add_trial(3, 3, {1, 2});  // resumed: its fold 0 is stored
  EXPECT_EQ(take(plan), TrialFold(2, 0));
  EXPECT_EQ(plan.next_step(), Step::claim_trial);
  plan.no_more_trials();
  std::vector<TrialFold> order;
  while (plan.next_step() == Step::run_unit) order.push_back(take(plan));
  const std::vector<TrialFold> expected = {{1, 1}, {2, 1}, {3, 1}, {1, 2}, {2, 2}, {3, 2}};
  EXPECT_EQ(order, expected);
}

// A trial added later still gets its first fold ahead of queued later folds.
TEST(UnitPlan, FoldMajorPutsALateTrialsFirstFoldAhead) {
  UnitPlan plan(UnitPlan::Order::fold_major);
  plan.add_trial(1, 1, {1, 2});
  plan.add_trial(2, 2, {0, 1});
  EXPECT_EQ(take(plan), TrialFold(2, 0));
  plan.no_more_trials();
  EXPECT_EQ(take(plan), TrialFold(1, 1));
  EXPECT_EQ(take(plan), TrialFold(2, 1));
  EXPECT_EQ(take(plan), TrialFold(1, 2));
  plan.cancel_trial(1);
  EXPECT_EQ(plan.next_step(), Step::wait);
}

}  // namespace
}  // namespace eegsweep
