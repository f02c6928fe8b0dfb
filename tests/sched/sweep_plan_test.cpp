// The sweep-wide plan: splits never leak test rows into folds, seeds are stable, trial
// parameters become the right model and training settings.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <unistd.h>

#include "engine/sched/final_run.h"
#include "engine/sched/process_owner.h"
#include "engine/sched/scheduler.h"
#include "engine/sched/sweep_plan.h"

namespace eegsweep {
namespace {

SweepSpec synthetic_spec() {
  return parse_sweep(R"(
name: plan
data:
  format: synthetic
  synthetic: {rows: 300, features: 24, classes: 3, noise: 1.0, seed: 5}
test_split: 0.2
cv: {folds: 4}
seed: 9
parameters:
  hidden_size: {values: [8, 16]}
  timesteps: {value: 6}
)",
                     "/tmp/plan.yaml");
}

TEST(SweepPlan, TestRowsNeverEnterAnyFold) {
  const SweepSpec spec = synthetic_spec();
  const SweepPlan plan = plan_sweep(spec, load_dataset(spec));
  EXPECT_EQ(plan.holdout.test.size(), 60u);
  const std::set<RowIndex> test(plan.holdout.test.begin(), plan.holdout.test.end());
  ASSERT_EQ(plan.folds.size(), 4u);
  std::multiset<RowIndex> validated;
  for (const auto& fold : plan.folds) {
    for (RowIndex r : fold.train) EXPECT_EQ(test.count(r), 0u);
    for (RowIndex r : fold.val) EXPECT_EQ(test.count(r), 0u);
    validated.insert(fold.val.begin(), fold.val.end());
  }
  EXPECT_EQ(validated.size(), 240u);
  EXPECT_EQ(std::set<RowIndex>(validated.begin(), validated.end()).size(), 240u);
}

// Through the real plan: with cv.group_by every group lies wholly on one side of the held-out
// split and wholly in one validation fold, so a recording's overlapping windows never leak.
TEST(SweepPlan, GroupedSweepKeepsEveryGroupOnOneSide) {
  const SweepSpec spec = parse_sweep(R"(
name: grouped
data:
  format: synthetic
  synthetic: {rows: 300, features: 24, classes: 3, noise: 1.0, groups: 15, seed: 5}
test_split: 0.2
cv: {folds: 4, group_by: recording}
seed: 9
)",
                                     "/tmp/grouped.yaml");
  const SweepPlan plan = plan_sweep(spec, load_dataset(spec));
  const Dataset& data = *plan.data;
  ASSERT_TRUE(data.has_groups());
  ASSERT_FALSE(plan.holdout.test.empty());
  std::set<int> test_groups;
  for (RowIndex r : plan.holdout.test) test_groups.insert(data.group[r]);
  std::map<int, std::set<int>> folds_of_group;  // group → the folds that validate its rows
  ASSERT_EQ(plan.folds.size(), 4u);
  for (std::size_t f = 0; f < plan.folds.size(); ++f) {
    const Fold& fold = plan.folds[f];
    std::set<int> train_groups;
    for (RowIndex r : fold.train) {
      EXPECT_EQ(test_groups.count(data.group[r]), 0u) << "test group in fold " << f << "'s training";
      train_groups.insert(data.group[r]);
    }
    for (RowIndex r : fold.val) {
      EXPECT_EQ(test_groups.count(data.group[r]), 0u) << "test group in fold " << f << "'s validation";
      EXPECT_EQ(train_groups.count(data.group[r]), 0u) << "group on both sides of fold " << f;
      folds_of_group[data.group[r]].insert(static_cast<int>(f));
    }
  }
  for (const auto& [group, folds] : folds_of_group) EXPECT_EQ(folds.size(), 1u) << "group " << group;
  // Every group is somewhere: in the test set or validated by exactly one fold.
  EXPECT_EQ(test_groups.size() + folds_of_group.size(), 15u);
}

TEST(SweepPlan, SameSpecSamePlan) {
  const SweepSpec spec = synthetic_spec();
  const SweepPlan a = plan_sweep(spec, load_dataset(spec));
  const SweepPlan b = plan_sweep(spec, load_dataset(spec));
  EXPECT_EQ(a.holdout.test, b.holdout.test);
  for (std::size_t f = 0; f < a.folds.size(); ++f) EXPECT_EQ(a.folds[f].val, b.folds[f].val);
}

TEST(SweepPlan, FoldStandardizationUsesOnlyTrainingRows) {
  const SweepSpec spec = synthetic_spec();
  const SweepPlan plan = plan_sweep(spec, load_dataset(spec));
  const FoldData fold = fold_data(spec, plan, 1);
  const Standardizer expected = Standardizer::fit(*plan.data, plan.folds[1].train);
  EXPECT_EQ(fold.standardizer.mean, expected.mean);
  EXPECT_EQ(fold.standardizer.inv_std, expected.inv_std);
  const FoldData final_fold = final_data(spec, plan);
  EXPECT_EQ(final_fold.train_rows, plan.holdout.train);
  EXPECT_EQ(final_fold.val_rows, plan.holdout.test);
}

TEST(SweepPlan, TrialSetupShapesTheSequence) {
  const SweepSpec spec = synthetic_spec();
  const auto data = load_dataset(spec);
  TrialParams params = default_trial_params();
  params.timesteps = 6;
  params.hidden_size = 16;
  params.head = "flatten";
  const TrialSetup setup = trial_setup(spec, params, *data, 77);
  EXPECT_EQ(setup.model.timesteps, 6);
  EXPECT_EQ(setup.model.input_size, 4);
  EXPECT_EQ(setup.model.num_classes, 3);
  EXPECT_EQ(setup.model.head, Head::flatten);
  EXPECT_EQ(setup.train.seed, 77u);
  params.timesteps = 0;
  EXPECT_EQ(trial_setup(spec, params, *data, 1).model.timesteps, 24);
  params.timesteps = 7;
  EXPECT_THROW(trial_setup(spec, params, *data, 1), DataError);
}

TEST(SweepPlan, SeedsDependOnSweepSeedAndParametersOnly) {
  SweepSpec spec = synthetic_spec();
  const auto a = trial_seed(spec, "abc");
  EXPECT_EQ(a, trial_seed(spec, "abc"));
  EXPECT_NE(a, trial_seed(spec, "abd"));
  EXPECT_NE(fold_seed(a, 0), fold_seed(a, 1));
  EXPECT_NE(final_seed(a), fold_seed(a, 0));
  spec.seed = 10;
  EXPECT_NE(a, trial_seed(spec, "abc"));
}

TEST(FinalRun, EpochsAreTheLowerMedianOfBestEpochs) {
  std::vector<FoldRecord> folds(4);
  const int best[] = {7, 2, 9, 4};  // 0-based → 8, 3, 10, 5 epochs
  for (int i = 0; i < 4; ++i) folds[i].best_epoch = best[i];
  EXPECT_EQ(final_epochs(folds), 5);
  folds.pop_back();
  EXPECT_EQ(final_epochs(folds), 8);
  EXPECT_THROW(final_epochs({}), std::runtime_error);
}

TEST(FinalRun, StoredParametersRoundTrip) {
  const SweepSpec spec = synthetic_spec();
  for (const Trial& trial : expand_trials(spec)) {
    const TrialParams p = trial_params_from_json(trial.params_json);
    EXPECT_EQ(p.hidden_size, trial.params.hidden_size);
    EXPECT_EQ(p.timesteps, trial.params.timesteps);
    EXPECT_EQ(p.learning_rate, trial.params.learning_rate);
    EXPECT_EQ(p.head, trial.params.head);
  }
}

TEST(Scheduler, DatabasePathAndOwners) {
  SweepSpec spec = synthetic_spec();
  EXPECT_EQ(results_database_path(spec), "results/plan.db");
  spec.results_path = "/tmp/x.db";
  EXPECT_EQ(results_database_path(spec), "/tmp/x.db");
  EXPECT_TRUE(owner_is_alive(this_process_owner()));  // more in process_owner_test.cpp
}

}  // namespace
}  // namespace eegsweep
