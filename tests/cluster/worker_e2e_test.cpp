// `sweep worker` and `sweep pull` end to end against a real PostgreSQL server: eight workers at
// once store, row for row, what one local `sweep run` stores (the splits, the baseline computed by
// one of them, the final run's model and group scores included); a worker killed with SIGKILL
// mid-unit loses nothing (its unit is reclaimed once the lease runs out) and duplicates nothing;
// SIGTERM hands the worker's units back.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "tests/cluster/pg_test_server.h"
#include "tests/cluster/sweep_fixture.h"
#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using testing::Child;
using testing::comparable;
using testing::fresh_database;
using testing::local_database;
using testing::sweep_text;
using testing::pg_value;
using testing::run_sweep_command;

class WorkerEndToEnd : public ::testing::Test {
 protected:
  std::string spec(int epochs) { return temp_.write("cluster.yaml", sweep_text(epochs)); }

  testing::ProcessResult pull(const std::string& url, const std::string& out) {
    return run_sweep_command({"pull", "--db", url, "-o", out}, dir_, "pull");
  }

  fixtures::TempDir temp_;
  const std::string dir_ = temp_.path();
};

TEST_F(WorkerEndToEnd, EightWorkersStoreWhatOneLocalRunStores) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  const std::string local = local_database(3);
  spec(3);
  std::vector<std::unique_ptr<Child>> workers;
  for (int w = 0; w < 8; ++w) {
    workers.push_back(std::make_unique<Child>(
        std::vector<std::string>{"worker", "cluster.yaml", "--db", url, "--lease", "30"}, dir_,
        "worker" + std::to_string(w)));
  }
  int recorded = 0, baselines = 0;
  for (int w = 0; w < 8; ++w) {
    const auto result = workers[w]->wait();
    EXPECT_EQ(result.exit_code, 0) << "worker " << w << ": " << result.err;
    EXPECT_NE(result.out.find("0 refused"), std::string::npos) << result.out;
    int units = 0;
    std::sscanf(result.out.c_str(), "worker: %d units recorded", &units);
    recorded += units;
    baselines += result.err.find("baseline (linear softmax") != std::string::npos;
  }
  EXPECT_EQ(recorded, 12);  // 4 trials × 3 folds, each trained once
  EXPECT_EQ(baselines, 1);  // computed by one worker only
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'done' AND attempt = 1"), "12");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM final_runs"), "1");

  const auto pulled = pull(url, "results/cluster.db");
  ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
  EXPECT_EQ(comparable(dir_ + "/results/cluster.db"), comparable(local));
  // The evaluation records compared above are there at all: every one of the 240 rows in a fold
  // or the test set, one baseline fold per CV fold and one for the test set, the final run's
  // model, and a score for each test group.
  SQLite::Database pulled_db(dir_ + "/results/cluster.db", SQLite::OPEN_READONLY);
  EXPECT_EQ(pulled_db.execAndGet("SELECT COUNT(*) FROM split_rows").getInt(), 240);
  EXPECT_EQ(pulled_db.execAndGet("SELECT COUNT(*) FROM split_folds").getInt(), 3);
  EXPECT_EQ(pulled_db.execAndGet("SELECT group_concat(fold) FROM (SELECT fold FROM baseline_folds "
                                 "ORDER BY fold)").getString(), "-1,0,1,2");
  EXPECT_EQ(pulled_db.execAndGet("SELECT COUNT(*) FROM final_run_models").getInt(), 1);
  const std::string test_groups =
      "SELECT group_concat(group_name) FROM (SELECT DISTINCT group_name FROM split_rows WHERE "
      "role = 'test' ORDER BY group_name)";
  EXPECT_FALSE(pulled_db.execAndGet(test_groups).getString().empty());
  EXPECT_EQ(pulled_db.execAndGet("SELECT group_concat(group_name) FROM (SELECT group_name FROM "
                                 "final_run_groups ORDER BY group_name)").getString(),
            pulled_db.execAndGet(test_groups).getString());

  // The read verbs read the server itself as they read the pulled file.
  const auto from_server = run_sweep_command({"results", "--db", url, "--format", "csv"}, dir_, "r1");
  const auto from_file = run_sweep_command({"results", "--db", "results/cluster.db", "--format", "csv"}, dir_, "r2");
  EXPECT_EQ(from_server.exit_code, 0) << from_server.err;
  EXPECT_EQ(from_server.out, from_file.out);
  EXPECT_EQ(run_sweep_command({"pull", "--db", url, "-o", "results/cluster.db"}, dir_, "again").exit_code, 74);
}

TEST_F(WorkerEndToEnd, AKilledWorkersUnitIsReclaimedAfterItsLeaseNothingLostNothingTwice) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  const std::string local = local_database(12);
  spec(12);
  Child victim({"worker", "cluster.yaml", "--db", url, "--lease", "2"}, dir_, "victim");
  // Stopped while it holds a unit (never between two): then killed, so that unit stays claimed.
  std::string held = "0";
  for (int i = 0; i < 3000 && held == "0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (pg_value(url, "SELECT to_regclass('units') IS NOT NULL") != "t") continue;
    if (pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'done'") == "0") continue;
    victim.signal(SIGSTOP);
    held = pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'running'");
    if (held == "0") victim.signal(SIGCONT);
  }
  ASSERT_NE(held, "0") << "the worker never held a unit after finishing one";
  victim.signal(SIGKILL);
  EXPECT_EQ(victim.wait().exit_code, 128 + SIGKILL);
  const std::string done_before = pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'done'");

  const auto rescuer = run_sweep_command({"worker", "cluster.yaml", "--db", url, "--lease", "2"}, dir_, "rescuer");
  ASSERT_EQ(rescuer.exit_code, 0) << rescuer.err;
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'done'"), "12");
  EXPECT_EQ(pg_value(url, "SELECT SUM(lost_leases) FROM units"), held);
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE attempt = 2 AND lost_leases = 1"), held);
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM folds"), "12");
  int recorded = 0;
  std::sscanf(rescuer.out.c_str(), "worker: %d units recorded", &recorded);
  EXPECT_EQ(recorded, 12 - std::stoi(done_before));

  ASSERT_EQ(pull(url, "pulled.db").exit_code, 0);
  EXPECT_EQ(comparable(dir_ + "/pulled.db"), comparable(local));
}

TEST_F(WorkerEndToEnd, SigtermHandsTheUnitsBackAndExitsResumably) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  spec(200);
  Child worker({"worker", "cluster.yaml", "--db", url, "--lease", "30", "-j", "2"}, dir_, "worker");
  std::string running = "0";
  for (int i = 0; i < 3000 && running != "2"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (pg_value(url, "SELECT to_regclass('units') IS NOT NULL") != "t") continue;
    running = pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'running'");
  }
  ASSERT_EQ(running, "2");
  worker.signal(SIGTERM);
  const auto result = worker.wait();
  EXPECT_EQ(result.exit_code, 128 + SIGTERM) << result.err;
  EXPECT_NE(result.err.find("start a worker again to resume"), std::string::npos) << result.err;
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'running' OR owner IS NOT NULL"), "0");
  EXPECT_EQ(pg_value(url, "SELECT SUM(lost_leases) FROM units"), "0");
}

TEST_F(WorkerEndToEnd, BadDatabaseArgumentsAreClearErrors) {
  spec(3);
  const auto not_a_url = run_sweep_command({"worker", "cluster.yaml", "--db", "results/x.db"}, dir_, "w");
  EXPECT_EQ(not_a_url.exit_code, 64);
  EXPECT_NE(not_a_url.err.find("needs a PostgreSQL URL"), std::string::npos) << not_a_url.err;
  const auto run_on_server = run_sweep_command(
      {"run", "cluster.yaml", "--db", "postgresql://u@/x?host=/nonexistent"}, dir_, "r");
  EXPECT_EQ(run_on_server.exit_code, 74);
  EXPECT_NE(run_on_server.err.find("sweep worker"), std::string::npos) << run_on_server.err;
  // bayes and early_terminate are no longer refused (worker_search_e2e_test.cpp runs them): such a
  // sweep gets as far as the server.
  const auto bayes = run_sweep_command({"worker", "cluster.yaml", "--set", "method=bayes", "--set",
                                        "run_cap=4", "--set", "early_terminate.type=hyperband", "--set",
                                        "early_terminate.min_iter=1", "--db",
                                        "postgresql://u@/x?host=/nonexistent"},
                                       dir_, "b");
  EXPECT_EQ(bayes.exit_code, 74) << bayes.err;
  EXPECT_NE(bayes.err.find("cannot connect to the PostgreSQL results store"), std::string::npos) << bayes.err;
}

}  // namespace
}  // namespace eegsweep
