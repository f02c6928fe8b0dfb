// `sweep slurm` on a real single-node Slurm 22.05 (started by the ctest fixture
// tests/cluster/slurm_cluster.sh) against the PostgreSQL test server: an array of 4 workers stores,
// row for row, what one local `sweep run` stores. The script itself is checked without Slurm.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "tests/cluster/pg_test_server.h"
#include "tests/cluster/sweep_fixture.h"

namespace eegsweep {
namespace {

using testing::comparable;
using testing::fresh_database;
using testing::local_database;
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
  const std::string slurm_conf = read_text(std::string(EEGSWEEP_TEST_SLURM_DIR) + "/conf");
  if (slurm_conf.empty()) {
    GTEST_SKIP() << "Slurm unavailable: " << read_text(std::string(EEGSWEEP_TEST_SLURM_DIR) + "/unavailable");
  }
  setenv("SLURM_CONF", slurm_conf.c_str(), 1);
  const std::string url = fresh_database(server);
  const std::string local = local_database(3);
  fixtures::TempDir dir;
  dir.write("cluster.yaml", sweep_text(3));
  const auto submitted = run_sweep_command(
      {"slurm", "cluster.yaml", "--db", url, "--workers", "4", "--cpus-per-worker", "1", "--lease", "30"},
      dir.path(), "slurm");
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  const std::string job = submitted.out.substr(0, submitted.out.find_first_of(";\n"));
  ASSERT_FALSE(job.empty()) << submitted.out;
  // squeue, not sacct (no accounting daemon): the array is done when none of its tasks is listed.
  bool finished = false;
  for (int i = 0; i < 1200 && !finished; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    finished = shell_output("squeue -h -j " + job + " 2>&1").empty();
  }
  ASSERT_TRUE(finished) << shell_output("squeue -j " + job);
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

}  // namespace
}  // namespace eegsweep
