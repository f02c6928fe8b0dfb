// `sweep slurm` on a real single-node Slurm 22.05 (started by the ctest fixture
// tests/cluster/slurm_cluster.sh) against the PostgreSQL test server: an array of 4 workers stores,
// row for row, what one local `sweep run` stores; a task warned with USR1 (what Slurm sends before
// the time limit) hands its unit back, is requeued and runs again, and the sweep still equals the
// local run. The script itself is checked without Slurm.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <thread>

#include "tests/cluster/pg_test_server.h"
#include "tests/cluster/sweep_fixture.h"

namespace eegsweep {
namespace {

using testing::comparable;
using testing::fresh_database;
using testing::local_database;
using testing::pg_rows;
using testing::pg_value;
using testing::read_text;
using testing::run_sweep_command;
using testing::sweep_text;

std::string shell_output(const std::string& command) {
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
    pclose(pipe);
  }
  return out;
}

// Skips the test, saying why, when the fixture could not start Slurm; points the Slurm commands
// at the test cluster otherwise.
#define REQUIRE_SLURM()                                                                         \
  {                                                                                             \
    const std::string conf_ = read_text(std::string(EEGSWEEP_TEST_SLURM_DIR) + "/conf");        \
    if (conf_.empty()) {                                                                        \
      GTEST_SKIP() << "Slurm unavailable: "                                                     \
                   << read_text(std::string(EEGSWEEP_TEST_SLURM_DIR) + "/unavailable");         \
    }                                                                                           \
    setenv("SLURM_CONF", conf_.c_str(), 1);                                                     \
  }

// Polls `condition` until it holds (true) or `seconds` pass (false): the limit only bounds a
// failure, the condition decides.
bool eventually(double seconds, const std::function<bool()>& condition) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Runs `undo` when the test leaves the scope, passed or failed.
struct Cleanup {
  std::function<void()> undo;
  ~Cleanup() {
    if (undo) undo();
  }
};

// The job (array) id that `sweep slurm` printed first, as sbatch --parsable does.
std::string submitted_job(const std::string& out) { return out.substr(0, out.find_first_of(";\n")); }

bool queue_empty(const std::string& job) { return shell_output("squeue -h -j " + job + " 2>&1").empty(); }

std::string environment_value(pid_t pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::string entry;
  while (std::getline(in, entry, '\0')) {
    if (entry.rfind(name + "=", 0) == 0) return entry.substr(name.size() + 1);
  }
  return "";
}

// Whether `signal` waits, undelivered, for the (stopped) process: /proc's pending-signal masks.
bool signal_pending(pid_t pid, int signal) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("ShdPnd:", 0) == 0 || line.rfind("SigPnd:", 0) == 0) {
      if (std::stoull(line.substr(7), nullptr, 16) & (1ull << (signal - 1))) return true;
    }
  }
  return false;
}

TEST(SlurmScript, DryRunPrintsAnArrayOfWorkersThatHandBackTheirUnits) {
  fixtures::TempDir dir;
  dir.write("cluster.yaml", sweep_text(3));
  const auto result = run_sweep_command(
      {"slurm", "cluster.yaml", "--db", "postgresql://me@db/sweeps", "--workers", "6",
       "--gpus-per-worker", "2", "--cpus-per-worker", "4", "--partition", "gpu", "--time",
       "01:00:00", "--set", "cv.folds=3", "--dry-run"},
      dir.path(), "slurm");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* line : {"#SBATCH --array=0-5\n", "#SBATCH --signal=B:USR1@120\n", "#SBATCH --requeue\n",
                           "#SBATCH --gres=gpu:2\n", "#SBATCH --cpus-per-task=4\n",
                           "#SBATCH --partition=gpu\n", "#SBATCH --time=01:00:00\n",
                           "#SBATCH --job-name=eegsweep-cluster\n",
                           "EEGSWEEP_DB=${EEGSWEEP_DB:-'postgresql://me@db/sweeps'}",
                           " worker '", "/cluster.yaml' --db \"$EEGSWEEP_DB\" --set 'cv.folds=3' --lease 60 -j 4 &\n",
                           "kill -USR1 \"$worker\"", "scontrol requeue"}) {
    EXPECT_NE(result.out.find(line), std::string::npos) << line << "\n" << result.out;
  }
  dir.write("script.sh", result.out);
  EXPECT_EQ(std::system(("bash -n " + dir.file("script.sh")).c_str()), 0) << "not valid bash";
  EXPECT_FALSE(std::filesystem::exists(dir.file("results")));  // a dry run writes nothing

  const auto sqlite = run_sweep_command({"slurm", "cluster.yaml", "--db", "results/x.db", "--workers", "2"},
                                        dir.path(), "bad");
  EXPECT_EQ(sqlite.exit_code, 64);
}

TEST(SlurmCluster, AnArrayOfFourWorkersStoresWhatOneLocalRunStores) {
  REQUIRE_PG_SERVER(server);
  REQUIRE_SLURM();
  const std::string url = fresh_database(server);
  const std::string local = local_database(3);
  fixtures::TempDir dir;
  dir.write("cluster.yaml", sweep_text(3));
  const auto submitted = run_sweep_command(
      {"slurm", "cluster.yaml", "--db", url, "--workers", "4", "--cpus-per-worker", "1", "--lease", "30"},
      dir.path(), "slurm");
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  const std::string job = submitted_job(submitted.out);
  ASSERT_FALSE(job.empty()) << submitted.out;
  // squeue, not sacct (no accounting daemon): the array is done when none of its tasks is listed.
  ASSERT_TRUE(eventually(240, [&] { return queue_empty(job); })) << shell_output("squeue -j " + job);
  int logs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.file("results"))) {
    if (entry.path().extension() != ".out") continue;
    ++logs;
    const std::string log = read_text(entry.path().string());
    EXPECT_NE(log.find("0 refused"), std::string::npos) << entry.path() << ":\n" << log;
  }
  EXPECT_EQ(logs, 4);
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'done' AND attempt = 1"), "12");
  const auto pulled = run_sweep_command({"pull", "--db", url, "-o", "pulled.db"}, dir.path(), "pull");
  ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
  EXPECT_EQ(comparable(dir.file("pulled.db")), comparable(local));
}

TEST(SlurmCluster, AWarnedTaskHandsBackItsUnitIsRequeuedAndTheSweepStillEqualsALocalRun) {
  REQUIRE_PG_SERVER(server);
  REQUIRE_SLURM();
  const std::string url = fresh_database(server);
  // Units of exactly 400 epochs (patience 0; about 1.5 s each here): caught just after its claim,
  // a unit has most of its epochs ahead of it.
  const std::string local = local_database(400, 0);
  fixtures::TempDir dir;
  dir.write("cluster.yaml", sweep_text(400, 0));
  const auto submitted = run_sweep_command(
      {"slurm", "cluster.yaml", "--db", url, "--workers", "2", "--cpus-per-worker", "1", "--lease", "30"},
      dir.path(), "slurm");
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  const std::string job = submitted_job(submitted.out);
  ASSERT_FALSE(job.empty()) << submitted.out;
  Cleanup cancel{[&] { shell_output("scancel " + job + " 2>&1"); }};  // nothing left running on a failure

  // A worker that claimed a unit within the last half second (its 30 s lease has not been renewed
  // yet), stopped there, so that the unit cannot finish before the warning reaches it.
  pid_t pid = 0;
  std::string owner, trial_id, fold, attempt;
  const bool caught = eventually(120, [&] {
    if (pg_value(url, "SELECT to_regclass('units') IS NOT NULL") != "t") return false;
    const auto fresh = pg_rows(url, "SELECT owner, trial_id, fold, attempt FROM units WHERE status = "
                                    "'running' AND lease_until > now() + interval '29.5 seconds' LIMIT 1");
    if (fresh.empty()) return false;
    owner = fresh[0][0];
    trial_id = fresh[0][1];
    fold = fresh[0][2];
    attempt = fresh[0][3];
    pid = static_cast<pid_t>(std::stol(owner.substr(owner.find(':') + 1)));  // host:pid:start:boot
    if (kill(pid, SIGSTOP) != 0) return false;
    if (pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'running' AND owner = '" + owner +
                          "' AND trial_id = " + trial_id + " AND fold = " + fold + " AND attempt = " +
                          attempt) == "1") {
      return true;
    }
    kill(pid, SIGCONT);  // it finished the unit meanwhile: try the next one
    return false;
  });
  ASSERT_TRUE(caught) << "no worker was seen holding a unit it had just claimed";
  Cleanup resume{[&] { kill(pid, SIGCONT); }};
  const std::string task_id = environment_value(pid, "SLURM_ARRAY_TASK_ID");
  ASSERT_EQ(environment_value(pid, "SLURM_ARRAY_JOB_ID"), job) << "pid " << pid << " is not a task of " << job;
  const std::string task = job + "_" + task_id;

  // What Slurm does 120 s before the time limit (--signal=B:USR1@120): USR1 to the batch shell,
  // whose trap passes it on to the worker (pending until the worker runs again).
  shell_output("scancel --signal=USR1 --batch " + task + " 2>&1");
  ASSERT_TRUE(eventually(60, [&] { return signal_pending(pid, SIGUSR1); }))
      << "the worker of " << task << " never got USR1";
  kill(pid, SIGCONT);

  // It stops at the next epoch boundary and hands the unit back: pending again (or claimed afresh
  // by the other worker), not counted as a lapsed lease.
  ASSERT_TRUE(eventually(60, [&] {
    return pg_value(url, "SELECT COUNT(*) FROM units WHERE owner = '" + owner + "'") == "0";
  })) << "the warned worker still holds a unit";
  EXPECT_EQ(pg_value(url, "SELECT (status = 'pending' AND attempt = " + attempt + ") OR attempt > " +
                              attempt + " FROM units WHERE trial_id = " + trial_id + " AND fold = " + fold),
            "t");
  EXPECT_EQ(pg_value(url, "SELECT SUM(lost_leases) FROM units"), "0");

  // The trap requeued the task. Slurm holds a requeued job back for a while (pending for its
  // BeginTime, 120 s in 22.05); once it is back in the queue so, the test lets it start now
  // instead of waiting. (Started while still completing, its launch would fail.)
  ASSERT_TRUE(eventually(60, [&] {
    return shell_output("squeue -h -j " + task + " -o '%T %r' 2>&1") == "PENDING BeginTime\n";
  })) << shell_output("scontrol show job " + task + " 2>&1");
  EXPECT_NE(shell_output("scontrol show job " + task + " 2>&1").find("Restarts=1"), std::string::npos);
  // slurmd revokes the job's credential at the requeue and accepts a new one only if it was issued
  // in a later whole second (slurm_cred_handle_reissue compares time_t); a launch in the same second
  // is refused and the job ends FAILED with exit 1. Slurm's own scheduler relaunched 2-3 s later
  // here; a forced start can be that fast, so it waits until a whole second lies between the
  // requeue (the new SubmitTime, in whole seconds) and now.
  const long requeued_at = std::stol(shell_output("date +%s -d \"$(squeue -h -j " + task + " -o %V)\""));
  ASSERT_TRUE(eventually(10, [&] { return std::time(nullptr) > requeued_at + 1; }));
  shell_output("scontrol update JobId=" + task + " StartTime=now 2>&1");
  ASSERT_TRUE(eventually(240, [&] { return queue_empty(job); })) << shell_output("squeue -j " + job);
  const std::string record = shell_output("scontrol show job " + task + " 2>&1");
  EXPECT_NE(record.find("JobState=COMPLETED"), std::string::npos) << record;
  EXPECT_NE(record.find("Restarts=1"), std::string::npos) << record;
  // Its log is the second run's (Slurm starts the file again): another worker, which finished.
  const std::string log = read_text(dir.file("results/eegsweep-cluster-" + task + ".out"));
  EXPECT_NE(log.find("worker: "), std::string::npos) << log;
  EXPECT_NE(log.find("0 refused"), std::string::npos) << log;
  EXPECT_EQ(log.find(owner), std::string::npos) << log;

  // Nothing lost, nothing twice: every unit done once, the handed-back one on its second claim.
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'done'"), "12");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM folds"), "12");
  EXPECT_EQ(pg_value(url, "SELECT SUM(lost_leases) FROM units"), "0");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE attempt <> 1"), "1");
  EXPECT_EQ(pg_value(url, "SELECT attempt FROM units WHERE trial_id = " + trial_id + " AND fold = " + fold),
            std::to_string(std::stoi(attempt) + 1));
  const auto pulled = run_sweep_command({"pull", "--db", url, "-o", "pulled.db"}, dir.path(), "pull");
  ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
  EXPECT_EQ(comparable(dir.file("pulled.db")), comparable(local));
}

}  // namespace
}  // namespace eegsweep
