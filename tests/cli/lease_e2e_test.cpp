// `sweep run` with leases (issue 14), through the built binary: a trial left running by a process
// on another host is taken over once its lease has run out (written here with SQL as a date in
// 2000, so nothing depends on timing) and left alone while it holds; --lease and --max-retries
// reach the claim.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>

#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using testing::run_sweep_command;

constexpr const char* kOtherHost = "a-host-that-is-not-this-one:4242:17:another-boot";

class LeaseEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_ + "/lease.yaml") << R"(name: lease
data:
  format: synthetic
  synthetic: {rows: 120, features: 8, classes: 2, noise: 0.8, seed: 4}
test_split: 0.2
cv: {folds: 2}
seed: 3
device: cpu
parameters:
  hidden_size: {values: [4, 6]}
  timesteps: {value: 4}
  epochs: {value: 2}
)";
  }

  // One unit trained (trial 1's fold 0), then trial 1 marked running under a process of another
  // host whose lease ends at `lease_until`, having lapsed `lost_leases` times already.
  void leave_trial_one_to_another_host(const std::string& lease_until, int lost_leases) {
    const auto first = run_sweep_command({"run", "lease.yaml", "-j", "1", "--stop-after-units", "1"},
                                         dir_, "first");
    ASSERT_EQ(first.exit_code, 130) << first.err;
    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
    db.exec(std::string("UPDATE trials SET status = 'running', owner = '") + kOtherHost +
            "' WHERE number = 1");
    db.exec("UPDATE trial_leases SET attempt = 5, lost_leases = " + std::to_string(lost_leases) +
            ", lease_until = '" + lease_until + "' WHERE trial_id = (SELECT id FROM trials WHERE "
            "number = 1)");
    ASSERT_EQ(db.execAndGet("SELECT count(*) FROM trial_leases WHERE attempt = 5").getInt(), 1);
  }

  std::string text(const std::string& sql) {
    SQLite::Database db(db_path_);
    return db.execAndGet(sql).getString();
  }

  fixtures::TempDir temp_;
  const std::string dir_ = temp_.path();
  const std::string db_path_ = dir_ + "/results/lease.db";
};

TEST_F(LeaseEndToEnd, AnotherHostsTrialWhoseLeaseRanOutIsTakenOverAndFinished) {
  leave_trial_one_to_another_host("2000-01-01T00:00:00.000Z", 1);
  const auto second = run_sweep_command({"run", "lease.yaml", "--lease", "30", "--max-retries", "2"},
                                        dir_, "second");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("2 trials, 2 completed, 0 failed, 0 unfinished; 3 units trained"),
            std::string::npos) << second.out;
  EXPECT_EQ(text("SELECT group_concat(status) FROM trials"), "completed,completed");
  EXPECT_EQ(text("SELECT count(*) FROM folds"), "4");
  // Claimed once more (attempt 6), one more lapse counted, and no lease held once finished.
  EXPECT_EQ(text("SELECT attempt || ',' || lost_leases || ',' || (lease_until IS NULL) FROM "
                 "trial_leases WHERE trial_id = (SELECT id FROM trials WHERE number = 1)"),
            "6,2,1");
}

TEST_F(LeaseEndToEnd, AnotherHostsTrialWhoseLeaseHoldsIsLeftAlone) {
  leave_trial_one_to_another_host("2999-01-01T00:00:00.000Z", 0);
  const auto second = run_sweep_command({"run", "lease.yaml"}, dir_, "second");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("2 trials, 1 completed, 0 failed, 1 unfinished; 2 units trained"),
            std::string::npos) << second.out;
  EXPECT_NE(second.err.find("still being trained by another process"), std::string::npos) << second.err;
  EXPECT_EQ(text("SELECT status || ' ' || owner FROM trials WHERE number = 1"),
            std::string("running ") + kOtherHost);
  EXPECT_EQ(text("SELECT attempt FROM trial_leases WHERE trial_id = (SELECT id FROM trials WHERE "
                 "number = 1)"), "5");
}

TEST_F(LeaseEndToEnd, ALeaseThatRanOutOnceTooOftenFailsTheTrialWithTheReason) {
  leave_trial_one_to_another_host("2000-01-01T00:00:00.000Z", 2);
  const auto second = run_sweep_command({"run", "lease.yaml", "--max-retries", "2", "--no-final"},
                                        dir_, "second");
  EXPECT_EQ(second.exit_code, 1) << second.err;  // one failed trial
  EXPECT_EQ(text("SELECT status FROM trials WHERE number = 1"), "failed");
  const std::string error = text("SELECT error FROM trials WHERE number = 1");
  EXPECT_NE(error.find("the lease ran out 3 times"), std::string::npos) << error;
  EXPECT_NE(error.find(kOtherHost), std::string::npos) << error;
}

TEST_F(LeaseEndToEnd, ALeaseOfNoTimeIsABadCommandLine) {
  const auto run = run_sweep_command({"run", "lease.yaml", "--lease", "0"}, dir_, "zero");
  EXPECT_EQ(run.exit_code, 64) << run.err;
  EXPECT_NE(run.err.find("--lease"), std::string::npos) << run.err;
  const auto retries = run_sweep_command({"run", "lease.yaml", "--max-retries", "-1"}, dir_, "neg");
  EXPECT_EQ(retries.exit_code, 64) << retries.err;
  EXPECT_NE(retries.err.find("--max-retries"), std::string::npos) << retries.err;
}

}  // namespace
}  // namespace eegsweep
