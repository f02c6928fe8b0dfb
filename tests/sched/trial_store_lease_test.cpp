// SqliteTrialStore's leases (issue 14): its heartbeat keeps a claim alive past the lease, and a
// write after the trial was taken over throws LeaseLost with nothing written.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine/sched/trial_store.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

const OwnerAlive kEveryoneAlive = [](const std::string&) { return true; };

std::vector<TrialRecord> two_trials() {
  std::vector<TrialRecord> trials(2);
  for (int i = 0; i < 2; ++i) {
    trials[i].number = i;
    trials[i].params_json = "{\"units\": " + std::to_string(8 * (i + 1)) + "}";
    trials[i].params_hash = "hash-" + std::to_string(i);
    trials[i].seed = 10 + i;
  }
  return trials;
}

SweepInfo sweep_row() {
  SweepInfo info;
  info.name = "leases";
  info.identity_hash = "identity";
  info.metric_name = "accuracy";
  return info;
}

FoldRecord fold_with_accuracy(int fold, double accuracy) {
  FoldRecord record;
  record.fold = fold;
  record.val.accuracy = accuracy;
  record.confusion = ConfusionMatrix(2);
  return record;
}

// Trial 0 is claimed through SqliteTrialStore (its heartbeat renews every third of a 2 s lease),
// trial 1 by a bare claim with the same lease and no heartbeat. Two leases later another
// process finds trial 1 free and trial 0 still held: the heartbeat is what keeps it. (Only a
// heartbeat thread starved for over a second, even under the sanitizers on a loaded machine,
// could fail this.)
TEST(SqliteTrialStoreLease, TheHeartbeatKeepsALongTrialsLeaseAlive) {
  fixtures::TempDir dir;
  const std::string path = dir.file("heartbeat.db");
  Store store(path);
  const std::int64_t sweep = store.open_sweep(sweep_row(), false);
  store.add_trials(sweep, two_trials());
  const LeasePolicy two_seconds{2.0, 3};

  SqliteTrialStore runner_store(store, sweep, two_seconds);
  const auto held = runner_store.claim_trial();
  ASSERT_TRUE(held);
  ASSERT_EQ(held->number, 0);
  Store bare(path);
  const auto unrenewed = bare.claim_trial(sweep, "gone:1:1:x", two_seconds, kEveryoneAlive);
  ASSERT_TRUE(unrenewed);
  ASSERT_EQ(unrenewed->trial.number, 1);

  std::this_thread::sleep_for(std::chrono::milliseconds(4000));

  Store other(path);
  const auto taken = other.claim_trial(sweep, "other:2:2:x", two_seconds, kEveryoneAlive);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->trial.number, 1) << "the lease without a heartbeat ran out";
  EXPECT_FALSE(other.claim_trial(sweep, "other:2:2:x", two_seconds, kEveryoneAlive))
      << "trial 0's lease, renewed by the heartbeat, must still hold";
  runner_store.record_fold(held->id, fold_with_accuracy(0, 0.75));  // still its claim: no throw
  EXPECT_EQ(store.completed_folds(held->id), std::vector<int>{0});
}

// A claim of this process taken over (here through the fast path: its owner reported dead):
// its fold, finish and release are refused with LeaseLost and the new holder's fold stands.
TEST(SqliteTrialStoreLease, WritesAfterATakeOverThrowLeaseLostAndWriteNothing) {
  fixtures::TempDir dir;
  const std::string path = dir.file("takeover.db");
  Store store(path);
  const std::int64_t sweep = store.open_sweep(sweep_row(), false);
  store.add_trials(sweep, two_trials());
  const LeasePolicy hour{3600, 3};

  SqliteTrialStore stale(store, sweep, hour);
  const auto mine = stale.claim_trial();
  ASSERT_TRUE(mine);
  Store other(path);
  const OwnerAlive everyone_dead = [](const std::string&) { return false; };
  const auto theirs = other.claim_trial(sweep, "new:3:3:x", hour, everyone_dead);
  ASSERT_TRUE(theirs);
  ASSERT_EQ(theirs->trial.id, mine->id);
  ASSERT_TRUE(other.record_fold(theirs->lease, fold_with_accuracy(0, 0.9)));

  try {
    stale.record_fold(mine->id, fold_with_accuracy(0, 0.1));
    FAIL() << "a fold of a taken-over trial was accepted";
  } catch (const LeaseLost& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("trial 0: fold 0 not written"), std::string::npos) << message;
    EXPECT_NE(message.find("lease ran out"), std::string::npos) << message;
  }
  const std::vector<FoldRecord> folds = store.folds(mine->id);
  ASSERT_EQ(folds.size(), 1u);
  EXPECT_DOUBLE_EQ(folds[0].val.accuracy, 0.9);
  ASSERT_TRUE(other.finish_trial(theirs->lease, TrialStatus::completed, "", 0.9, 0.0));
  EXPECT_EQ(store.trial(sweep, 0)->status, TrialStatus::completed);
}

TEST(SqliteTrialStoreLease, FinishAndReleaseOfATakenOverTrialThrowLeaseLost) {
  fixtures::TempDir dir;
  const std::string path = dir.file("finish.db");
  Store store(path);
  const std::int64_t sweep = store.open_sweep(sweep_row(), false);
  store.add_trials(sweep, two_trials());
  const LeasePolicy hour{3600, 3};
  // Every owner but the new one is dead: the stale process's two trials are taken over.
  const OwnerAlive only_new_alive = [](const std::string& owner) { return owner == "new:3:3:x"; };

  SqliteTrialStore stale(store, sweep, hour);
  const auto first = stale.claim_trial();
  const auto second = stale.claim_trial();
  ASSERT_TRUE(first && second);
  Store other(path);
  ASSERT_TRUE(other.claim_trial(sweep, "new:3:3:x", hour, only_new_alive));
  ASSERT_TRUE(other.claim_trial(sweep, "new:3:3:x", hour, only_new_alive));
  EXPECT_FALSE(other.claim_trial(sweep, "new:3:3:x", hour, only_new_alive));

  EXPECT_THROW(stale.finish_trial(first->id, TrialStatus::completed, "", 0.1, 0.0), LeaseLost);
  EXPECT_THROW(stale.release_trial(second->id), LeaseLost);
  EXPECT_EQ(store.trial(sweep, 0)->status, TrialStatus::running);
  EXPECT_EQ(store.trial(sweep, 1)->status, TrialStatus::running);
}

}  // namespace
}  // namespace eegsweep
