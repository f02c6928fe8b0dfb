// Through run_sweep and the real store: a trial left "running" by a process that is gone is
// trained by the next run, even when the recorded pid now belongs to a live process (pid reuse),
// while a trial whose owner really runs is left alone. Claims hold leases (issue 14): a trial of
// another host is taken over once its lease has run out, never while it holds.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <thread>

#include "engine/sched/process_owner.h"
#include "engine/sched/scheduler.h"
#include "engine/sched/stop_signal.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

class Reclaim : public ::testing::Test {
 protected:
  void SetUp() override { reset_stop(); }
  void TearDown() override { reset_stop(); }

  SweepSpec spec() const {
    SweepSpec s = parse_sweep(R"(
name: reclaim
data:
  format: synthetic
  synthetic: {rows: 100, features: 8, classes: 2, noise: 0.8, seed: 4}
test_split: 0.2
cv: {folds: 2}
seed: 3
device: cpu
parameters:
  hidden_size: {values: [4, 6]}
  timesteps: {value: 4}
  epochs: {value: 2}
)",
                              dir_.file("reclaim.yaml"));
    s.results_path = dir_.file("reclaim.db");
    return s;
  }

  // Stops after trial 1's first fold, then marks trial 1 running under `owner`, with a lease of
  // `lease_seconds`.
  void leave_trial_one_running_under(const std::string& owner, double lease_seconds = 3600) {
    RunOptions options;
    options.max_concurrent = 1;
    options.stop_after_units = 1;
    ASSERT_TRUE(run_sweep(spec(), options).interrupted);
    reset_stop();
    Store store(spec().results_path);
    const auto sweep = store.latest_sweep("reclaim");
    ASSERT_TRUE(sweep);
    const auto trial = store.trial(sweep->id, 1);
    ASSERT_TRUE(trial);
    // The store offers no verb to set an owner: it is only ever written by a claim.
    ASSERT_TRUE(store.claim_trial(sweep->id, owner, LeasePolicy{lease_seconds, 3}, {}));
  }

  // A process on another host: owner_is_alive() cannot tell, so only its lease speaks for it.
  static std::string other_host_owner() { return "not-" + host_name() + ":4242:17:another-boot"; }

  fixtures::TempDir dir_;
};

// This test's own pid is alive, but not with this start time: the owner is a dead process whose
// pid was reused.
TEST_F(Reclaim, TrialOfADeadOwnerWhosePidWasReusedIsTrainedAgain) {
  std::string owner = this_process_owner();  // host:pid:start:boot
  const auto start_begin = owner.find(':', owner.find(':') + 1) + 1;
  const auto start_end = owner.find(':', start_begin);
  owner.replace(start_begin, start_end - start_begin,
                std::to_string(std::stoll(owner.substr(start_begin, start_end - start_begin)) + 7));
  leave_trial_one_running_under(owner);

  const RunSummary summary = run_sweep(spec(), RunOptions{});
  EXPECT_EQ(summary.unfinished, 0);
  EXPECT_EQ(summary.completed, 2);
  EXPECT_EQ(summary.units_trained, 3);  // trial 1's second fold, trial 2's two
}

// The owner is this very process: alive, so its trial is not taken.
TEST_F(Reclaim, TrialOfALiveOwnerIsLeftAlone) {
  leave_trial_one_running_under(this_process_owner());
  RunOptions options;
  options.final_run = false;
  const RunSummary summary = run_sweep(spec(), options);
  EXPECT_EQ(summary.unfinished, 1);
  EXPECT_EQ(summary.completed, 1);
  EXPECT_EQ(summary.units_trained, 2);  // trial 2 only
}

// The owner is on another host and its lease (1 ms) has run out: the next run takes the trial
// over and finishes the sweep, as if that host had crashed.
TEST_F(Reclaim, TrialOfAnotherHostWhoseLeaseRanOutIsTrainedAgain) {
  leave_trial_one_running_under(other_host_owner(), 0.001);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // 20 times the lease
  const RunSummary summary = run_sweep(spec(), RunOptions{});
  EXPECT_EQ(summary.unfinished, 0);
  EXPECT_EQ(summary.completed, 2);
  EXPECT_EQ(summary.units_trained, 3);  // trial 1's second fold, trial 2's two
  ASSERT_TRUE(summary.final_run);
}

// Another host's owner whose lease holds: its trial is left alone, whatever this host can see.
TEST_F(Reclaim, TrialOfAnotherHostWhoseLeaseHoldsIsLeftAlone) {
  leave_trial_one_running_under(other_host_owner(), 3600);
  RunOptions options;
  options.final_run = false;
  const RunSummary summary = run_sweep(spec(), options);
  EXPECT_EQ(summary.unfinished, 1);
  EXPECT_EQ(summary.completed, 1);
  EXPECT_EQ(summary.units_trained, 2);  // trial 2 only
  Store store(spec().results_path);
  const auto trial = store.trial(store.latest_sweep("reclaim")->id, 1);
  ASSERT_TRUE(trial);
  EXPECT_EQ(trial->status, TrialStatus::running);
  EXPECT_EQ(trial->folds_done, 1);
}

// With --max-retries 0 the first lapse is one too many: the trial fails with the reason and the
// run goes on with the others.
TEST_F(Reclaim, ALeaseThatLapsedMoreThanMaxRetriesFailsTheTrial) {
  leave_trial_one_running_under(other_host_owner(), 0.001);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  RunOptions options;
  options.final_run = false;
  options.lease.max_retries = 0;
  const RunSummary summary = run_sweep(spec(), options);
  EXPECT_EQ(summary.failed, 1);
  EXPECT_EQ(summary.completed, 1);
  EXPECT_EQ(summary.unfinished, 0);
  Store store(spec().results_path);
  const auto trial = store.trial(store.latest_sweep("reclaim")->id, 1);
  ASSERT_TRUE(trial);
  EXPECT_EQ(trial->status, TrialStatus::failed);
  EXPECT_NE(trial->error.find("the lease ran out 1 time ("), std::string::npos) << trial->error;
  EXPECT_NE(trial->error.find(other_host_owner()), std::string::npos) << trial->error;
}

}  // namespace
}  // namespace eegsweep
