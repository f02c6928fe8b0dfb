// `sweep run`'s leased claims on SQLite (issue 14; results/trial_leases.cpp). Leases that have
// run out are written directly with SQL (a date in 2000), so no outcome depends on timing.

#include "tests/results/store_test_util.h"

namespace eegsweep {
namespace {

using test::kEveryoneAlive;
using test::sql_rows;
using Rows = std::vector<std::vector<std::string>>;

constexpr const char* kOtherHost = "other-host:4242:99:boot-b";
constexpr const char* kMe = "this-host:1:2:boot-a";

class TrialLeases : public ::testing::Test {
 protected:
  void SetUp() override {
    sweep_ = store_.open_sweep(test::make_sweep_info("leases"), false);
    store_.add_trials(sweep_, test::make_trials(2));
  }

  void expire_lease(std::int64_t trial_id) {
    sql_rows(path_, "UPDATE trial_leases SET lease_until = '2000-01-01T00:00:00.000Z' WHERE "
                    "trial_id = " + std::to_string(trial_id));
  }

  Rows trial_row(std::int64_t trial_id) {
    return sql_rows(path_, "SELECT status, COALESCE(owner, 'NULL') FROM trials WHERE id = " +
                               std::to_string(trial_id));
  }

  Rows lease_row(std::int64_t trial_id) {
    return sql_rows(path_, "SELECT attempt, lost_leases, lease_until IS NULL FROM trial_leases "
                           "WHERE trial_id = " + std::to_string(trial_id));
  }

  test::TempDir dir_;
  std::string path_ = dir_.file("leases.db");
  Store store_{path_};
  std::int64_t sweep_ = 0;
  LeasePolicy long_lease_{3600, 3};
};

TEST_F(TrialLeases, AClaimHoldsALeaseThatEndsAfterTheLeaseSeconds) {
  const auto claim = store_.claim_trial(sweep_, kMe, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(claim);
  EXPECT_EQ(claim->trial.number, 0);
  EXPECT_EQ(claim->lease.trial_id, claim->trial.id);
  EXPECT_EQ(claim->lease.attempt, 1);
  EXPECT_EQ(trial_row(claim->trial.id), (Rows{{"running", kMe}}));
  EXPECT_EQ(lease_row(claim->trial.id), (Rows{{"1", "0", "0"}}));
  // The lease ends an hour from now: between 59 and 61 minutes ahead of SQLite's clock.
  EXPECT_EQ(sql_rows(path_, "SELECT (julianday(lease_until) - julianday('now')) * 86400 BETWEEN "
                            "3540 AND 3660 FROM trial_leases")[0][0], "1");
}

TEST_F(TrialLeases, AnExpiredLeaseOfAnotherHostIsReclaimedWithTheNextAttempt) {
  const auto theirs = store_.claim_trial(sweep_, kOtherHost, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(theirs);
  expire_lease(theirs->trial.id);
  // Every owner counts as alive here, as one on another host does: only the lease decides.
  const auto mine = store_.claim_trial(sweep_, kMe, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->trial.id, theirs->trial.id);
  EXPECT_EQ(mine->lease.attempt, 2);
  EXPECT_EQ(trial_row(mine->trial.id), (Rows{{"running", kMe}}));
  EXPECT_EQ(lease_row(mine->trial.id), (Rows{{"2", "1", "0"}}));
}

TEST_F(TrialLeases, ALiveLeaseIsLeftAloneUnlessItsOwnerIsKnownDead) {
  const auto theirs = store_.claim_trial(sweep_, kOtherHost, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(theirs);
  const auto next = store_.claim_trial(sweep_, kMe, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->trial.number, 1) << "trial 0's lease is live: the next trial is claimed";
  EXPECT_FALSE(store_.claim_trial(sweep_, kMe, long_lease_, kEveryoneAlive));
  EXPECT_EQ(trial_row(theirs->trial.id), (Rows{{"running", kOtherHost}}));
  EXPECT_EQ(lease_row(theirs->trial.id), (Rows{{"1", "0", "0"}}));

  // The fast path: an owner known to be dead (a process of this host) loses its live lease.
  const OwnerAlive other_host_dead = [](const std::string& owner) { return owner != kOtherHost; };
  const auto reclaimed = store_.claim_trial(sweep_, kMe, long_lease_, other_host_dead);
  ASSERT_TRUE(reclaimed);
  EXPECT_EQ(reclaimed->trial.id, theirs->trial.id);
  EXPECT_EQ(lease_row(theirs->trial.id), (Rows{{"2", "1", "0"}}));
}

TEST_F(TrialLeases, AStaleClaimCannotWriteOnceTheTrialWasReclaimed) {
  const auto stale = store_.claim_trial(sweep_, kOtherHost, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(stale);
  expire_lease(stale->trial.id);
  const auto fresh = store_.claim_trial(sweep_, kMe, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(fresh);
  ASSERT_EQ(fresh->trial.id, stale->trial.id);

  ASSERT_TRUE(store_.record_fold(fresh->lease, test::make_fold(0, 0.9)));
  EXPECT_FALSE(store_.record_fold(stale->lease, test::make_fold(0, 0.1)));
  EXPECT_FALSE(store_.record_fold(stale->lease, test::make_fold(1, 0.1)));
  EXPECT_FALSE(store_.renew_lease(stale->lease, 3600));
  EXPECT_FALSE(store_.finish_trial(stale->lease, TrialStatus::completed, "", 0.1, 0.0));
  EXPECT_FALSE(store_.release_trial(stale->lease));

  const std::string id = std::to_string(fresh->trial.id);
  EXPECT_EQ(sql_rows(path_, "SELECT fold, accuracy FROM folds WHERE trial_id = " + id),
            (Rows{{"0", "0.9"}}));
  EXPECT_EQ(sql_rows(path_, "SELECT count(*) FROM epochs WHERE trial_id = " + id)[0][0], "4");
  EXPECT_EQ(trial_row(fresh->trial.id), (Rows{{"running", kMe}}));

  EXPECT_TRUE(store_.finish_trial(fresh->lease, TrialStatus::completed, "", 0.9, 0.0));
  EXPECT_EQ(trial_row(fresh->trial.id), (Rows{{"completed", "NULL"}}));
  EXPECT_EQ(lease_row(fresh->trial.id), (Rows{{"2", "1", "1"}})) << "a finished trial holds no lease";
  EXPECT_FALSE(store_.record_fold(fresh->lease, test::make_fold(1, 0.5)))
      << "a finished trial takes no more folds";
}

TEST_F(TrialLeases, ALapseUnclaimedByAnyoneElseStillLetsTheHolderWrite) {
  const auto claim = store_.claim_trial(sweep_, kMe, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(claim);
  expire_lease(claim->trial.id);
  EXPECT_TRUE(store_.record_fold(claim->lease, test::make_fold(0, 0.7)));
  EXPECT_TRUE(store_.renew_lease(claim->lease, 3600));
  EXPECT_EQ(sql_rows(path_, "SELECT lease_until > strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM "
                            "trial_leases WHERE trial_id = " + std::to_string(claim->trial.id))[0][0],
            "1");
}

TEST_F(TrialLeases, ATrialWhoseLeaseLapsesPastMaxRetriesFailsWithTheReason) {
  const LeasePolicy one_retry{3600, 1};
  const auto first = store_.claim_trial(sweep_, "a:1:1:x", one_retry, kEveryoneAlive);
  ASSERT_TRUE(first);
  const std::int64_t id = first->trial.id;
  expire_lease(id);
  const auto second = store_.claim_trial(sweep_, "b:2:2:x", one_retry, kEveryoneAlive);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->trial.id, id) << "one lapse is within --max-retries 1";
  expire_lease(id);
  // The second lapse is one too many: trial 0 fails, and the claim goes on to trial 1.
  const auto third = store_.claim_trial(sweep_, "c:3:3:x", one_retry, kEveryoneAlive);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->trial.number, 1);
  const Rows failed = sql_rows(path_, "SELECT status, COALESCE(owner, 'NULL'), error, finished_at "
                                      "IS NOT NULL FROM trials WHERE id = " + std::to_string(id));
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0][0], "failed");
  EXPECT_EQ(failed[0][1], "NULL");
  EXPECT_NE(failed[0][2].find("the lease ran out 2 times"), std::string::npos) << failed[0][2];
  EXPECT_NE(failed[0][2].find("b:2:2:x"), std::string::npos) << failed[0][2];
  EXPECT_NE(failed[0][2].find("--max-retries 1"), std::string::npos) << failed[0][2];
  EXPECT_EQ(failed[0][3], "1");
  EXPECT_EQ(lease_row(id), (Rows{{"2", "2", "1"}}));
  EXPECT_FALSE(store_.record_fold(second->lease, test::make_fold(0, 0.5)));
}

TEST_F(TrialLeases, MaxRetriesZeroFailsAtTheFirstLapse) {
  const auto first = store_.claim_trial(sweep_, kOtherHost, LeasePolicy{3600, 0}, kEveryoneAlive);
  ASSERT_TRUE(first);
  expire_lease(first->trial.id);
  const auto next = store_.claim_trial(sweep_, kMe, LeasePolicy{3600, 0}, kEveryoneAlive);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->trial.number, 1);
  EXPECT_EQ(trial_row(first->trial.id), (Rows{{"failed", "NULL"}}));
}

TEST_F(TrialLeases, AReleasedTrialIsClaimedAgainWithoutCountingALapse) {
  const auto first = store_.claim_trial(sweep_, kMe, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(first);
  ASSERT_TRUE(store_.record_fold(first->lease, test::make_fold(0, 0.6)));
  ASSERT_TRUE(store_.release_trial(first->lease));
  EXPECT_EQ(trial_row(first->trial.id), (Rows{{"pending", "NULL"}}));
  EXPECT_EQ(lease_row(first->trial.id), (Rows{{"1", "0", "1"}}));
  const auto again = store_.claim_trial(sweep_, kOtherHost, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->trial.id, first->trial.id);
  EXPECT_EQ(again->lease.attempt, 2);
  EXPECT_EQ(lease_row(first->trial.id), (Rows{{"2", "0", "0"}}));
  EXPECT_EQ(store_.completed_folds(first->trial.id), std::vector<int>{0}) << "released folds stay";
}

TEST_F(TrialLeases, ARunningTrialWithoutALeaseRowCountsAsExpired) {
  // Claimed without a lease (as before schema version 3) by a process on another host.
  ASSERT_TRUE(store_.claim_trial(sweep_, kOtherHost, kEveryoneAlive));
  const auto mine = store_.claim_trial(sweep_, kMe, long_lease_, kEveryoneAlive);
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->trial.number, 0);
  EXPECT_EQ(mine->lease.attempt, 1);
  EXPECT_EQ(lease_row(mine->trial.id), (Rows{{"1", "1", "0"}}));
}

TEST_F(TrialLeases, ALeaseMustLastAPositiveNumberOfSeconds) {
  for (double seconds : {0.0, -1.0, 1e12}) {
    try {
      store_.claim_trial(sweep_, kMe, LeasePolicy{seconds, 3}, kEveryoneAlive);
      ADD_FAILURE() << seconds << " seconds was accepted";
    } catch (const StoreError& e) {
      EXPECT_NE(std::string(e.what()).find(path_), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("positive number of seconds"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(sql_rows(path_, "SELECT count(*) FROM trials WHERE status = 'running'")[0][0], "0");
}

}  // namespace
}  // namespace eegsweep
