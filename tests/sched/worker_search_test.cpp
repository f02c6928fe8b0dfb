// The search as `sweep worker` asks it, without training: bayes answers every question with one
// new trial at once, whatever is still running (no rounds), never a stored one, numbered after
// the stored ones, and nothing once run_cap trials are stored; grid and random (with or without
// early_terminate) hand out every trial at the first question.
#include <gtest/gtest.h>

#include <set>

#include "engine/sched/worker_search.h"

namespace eegsweep {
namespace {

SweepSpec parsed(const std::string& head) {
  return parse_sweep(head + "\ndata: {format: synthetic}\nseed: 3\nparameters:\n"
                            "  hidden_size: {values: [4, 8, 16]}\n  dropout: {min: 0.0, max: 0.5}\n",
                     "worker.yaml");
}

TEST(WorkerTrialSource, BayesSuggestsOneTrialAtOnceWhileOthersRun) {
  auto search = make_worker_trial_source(parsed("method: bayes\nrun_cap: 5"));
  std::vector<TrialRecord> stored;
  std::set<std::string> hashes;
  for (int n = 1; n <= 5; ++n) {
    const std::vector<TrialRecord> one = search->suggest(stored);  // every stored trial still pending
    ASSERT_EQ(one.size(), 1u) << "question " << n;
    EXPECT_EQ(one[0].number, n);
    EXPECT_TRUE(hashes.insert(one[0].params_hash).second) << "trial " << n << " repeats a stored one";
    stored.push_back(one[0]);
    stored.back().status = TrialStatus::running;
  }
  EXPECT_TRUE(search->suggest(stored).empty());  // run_cap reached
  EXPECT_FALSE(search->may_suggest_later());
  EXPECT_EQ(search->expected_trials(), 5);
}

TEST(WorkerTrialSource, GridWithEarlyTerminationHandsOutEveryTrialAtOnce) {
  auto search = make_worker_trial_source(parse_sweep(
      "method: grid\nearly_terminate: {type: hyperband, min_iter: 1}\ndata: {format: synthetic}\n"
      "parameters:\n  hidden_size: {values: [4, 8, 16]}\n  dropout: {values: [0.0, 0.5]}\n",
      "grid.yaml"));
  EXPECT_EQ(search->suggest({}).size(), 6u);  // 3 × 2, not a round of one
}

}  // namespace
}  // namespace eegsweep
