// Rounds of an adaptive search without training: a round waits for every stored trial to finish,
// holds the slot count (never more than run_cap in all), never repeats a stored trial, and the
// unit plan asks for trials again only once one finishes.
#include <gtest/gtest.h>

#include <set>

#include "engine/sched/rounds.h"
#include "engine/sched/unit_plan.h"

namespace eegsweep {
namespace {

SweepSpec bayes(int run_cap) {
  return parse_sweep("method: bayes\nrun_cap: " + std::to_string(run_cap) +
                         "\ndata: {format: synthetic}\nseed: 3\nparameters:\n"
                         "  hidden_size: {values: [4, 8, 16]}\n  dropout: {min: 0.0, max: 0.5}\n",
                     "rounds.yaml");
}

// The round as stored, with scores: every trial completed, trial n scored n / 100.
std::vector<TrialRecord> stored_as_finished(std::vector<TrialRecord> round, std::vector<TrialRecord> stored) {
  for (auto& t : round) {
    t.status = TrialStatus::completed;
    t.cv_mean = t.number / 100.0;
    stored.push_back(t);
  }
  return stored;
}

TEST(TpeRounds, ARoundHasTheSlotCountAndWaitsForTheLastOne) {
  TpeSearch search(bayes(7), 3);
  std::vector<TrialRecord> stored;
  auto round = search.suggest(stored);
  ASSERT_EQ(round.size(), 3u);
  EXPECT_EQ(round[0].number, 1);
  EXPECT_EQ(round[2].number, 3);
  // Stored but one still running: nothing now, more later.
  std::vector<TrialRecord> partly = stored_as_finished(round, stored);
  partly[1].status = TrialStatus::running;
  EXPECT_TRUE(search.suggest(partly).empty());
  EXPECT_TRUE(search.may_suggest_later());
  // All finished: the next round, numbered on; then the last one, cut to run_cap (7 = 3 + 3 + 1).
  stored = stored_as_finished(round, stored);
  round = search.suggest(stored);
  ASSERT_EQ(round.size(), 3u);
  EXPECT_EQ(round[0].number, 4);
  stored = stored_as_finished(round, stored);
  round = search.suggest(stored);
  ASSERT_EQ(round.size(), 1u);
  stored = stored_as_finished(round, stored);
  EXPECT_TRUE(search.suggest(stored).empty());
  EXPECT_FALSE(search.may_suggest_later());
  std::set<std::string> distinct;
  for (const auto& t : stored) distinct.insert(t.params_hash);
  EXPECT_EQ(distinct.size(), 7u);
}

TEST(TpeRounds, AfterTheStartUpARoundNeverHoldsTheSameTrialTwice) {
  // A space of 3 × (continuous) points: TPE's round of 4 after 12 scored trials, each distinct
  // from the others and from the stored ones.
  TpeSearch search(bayes(40), 4);
  std::vector<TrialRecord> stored;
  while (stored.size() < 12) stored = stored_as_finished(search.suggest(stored), stored);
  const auto round = search.suggest(stored);
  ASSERT_EQ(round.size(), 4u);
  std::set<std::string> hashes;
  for (const auto& t : stored) hashes.insert(t.params_hash);
  for (const auto& t : round) EXPECT_TRUE(hashes.insert(t.params_hash).second) << t.params_json;
}

TEST(TpeRounds, TheSameHistoryGivesTheSameRound) {
  TpeSearch a(bayes(40), 2), b(bayes(40), 2);
  std::vector<TrialRecord> stored;
  while (stored.size() < 14) stored = stored_as_finished(a.suggest(stored), stored);
  const auto from_a = a.suggest(stored), from_b = b.suggest(stored);
  ASSERT_EQ(from_a.size(), 2u);
  ASSERT_EQ(from_b.size(), 2u);
  EXPECT_EQ(from_a[0].params_json, from_b[0].params_json);
  EXPECT_EQ(from_a[1].params_json, from_b[1].params_json);
}

TEST(UnitPlanRounds, AsksAgainOnlyOnceATrialFinishes) {
  UnitPlan plan(UnitPlan::Order::fold_major);
  plan.add_trial(1, 1, {0, 1});
  plan.no_trials_until_one_finishes();
  EXPECT_EQ(plan.next_step(), UnitPlan::Step::run_unit);
  const Unit first = plan.take_unit();
  // Fold-major with no trial to ask for: the later fold runs rather than waiting for a trial.
  EXPECT_EQ(plan.next_step(), UnitPlan::Step::run_unit);
  const Unit second = plan.take_unit();
  EXPECT_EQ(plan.next_step(), UnitPlan::Step::wait);
  plan.unit_returned(first);
  plan.fold_stored(first);
  plan.unit_returned(second);
  EXPECT_TRUE(plan.fold_stored(second));
  plan.trial_finished();
  EXPECT_EQ(plan.next_step(), UnitPlan::Step::claim_trial);
  plan.no_more_trials();
  plan.trial_finished();  // after "no more", a finish changes nothing
  EXPECT_EQ(plan.next_step(), UnitPlan::Step::done);
}

}  // namespace
}  // namespace eegsweep

namespace eegsweep {
namespace {

TEST(TpeRounds, ASmallDiscreteSpaceIsSearchedToItsLastPoint) {
  // 4 × 4 = 16 points and run_cap 16: past the 10 start-up trials TPE's first choice keeps naming
  // points already tried; the redraws must still find every remaining one.
  TpeSearch search(parse_sweep("method: bayes\nrun_cap: 16\ndata: {format: synthetic}\nseed: 3\nparameters:\n"
                               "  hidden_size: {values: [4, 8, 16, 32]}\n"
                               "  learning_rate: {values: [0.001, 0.003, 0.01, 0.03]}\n",
                               "small.yaml"),
                   1);
  std::vector<TrialRecord> stored;
  for (int round = 0; round < 20 && stored.size() < 16; ++round) {
    auto next = search.suggest(stored);
    for (auto& t : next) {
      t.status = TrialStatus::completed;
      t.cv_mean = 0.5;
      stored.push_back(t);
    }
  }
  std::set<std::string> distinct;
  for (const auto& t : stored) distinct.insert(t.params_hash);
  EXPECT_EQ(stored.size(), 16u);
  EXPECT_EQ(distinct.size(), 16u);
  EXPECT_TRUE(search.suggest(stored).empty());
}

}  // namespace
}  // namespace eegsweep
