// `sweep run` with absurd concurrency requests (issue 9): -j 100000 or resources.max_concurrent:
// 65536 once started that many threads and aborted (exit 134, 4 GB). Now the request is reduced
// to the backend's stated maximum (the CPU's: 4 per hardware thread) with a log line, and threads
// start only for units that run, so the sweep finishes normally in ordinary memory.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <string>
#include <thread>

#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using testing::run_sweep_command;

std::string tiny_sweep(const std::string& name, const std::string& extra) {
  return "name: " + name + R"(
data:
  format: synthetic
  synthetic: {rows: 120, features: 8, classes: 2, noise: 0.8, seed: 3}
test_split: 0.2
cv: {folds: 2}
seed: 5
device: cpu
parameters:
  hidden_size: {values: [4, 6]}
  timesteps: {value: 4}
  epochs: {value: 2}
  batch_size: {value: 32}
)" + extra;
}

int cpu_maximum() { return 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

long long completed_folds(const std::string& db_path) {
  SQLite::Database db(db_path);
  return db.execAndGet("select count(*) from folds").getInt64();
}

// 1 GiB: far above a small sweep's need (tens of MB), far below the 4 GB of 100000 threads.
constexpr long kMemoryLimitKb = 1024L * 1024L;

TEST(RunLimits, HugeJobCountIsReducedAndTheSweepFinishes) {
  fixtures::TempDir dir;
  dir.write("j.yaml", tiny_sweep("j", ""));
  const auto run = run_sweep_command({"run", "j.yaml", "-j", "100000"}, dir.path(), "run");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string expected = "-j 100000 is more units at once than this backend can use (at most " +
                               std::to_string(cpu_maximum()) + ")";
  EXPECT_NE(run.err.find(expected), std::string::npos) << run.err;
  EXPECT_LT(run.max_rss_kb, kMemoryLimitKb);
  EXPECT_EQ(completed_folds(dir.file("results/j.db")), 4);  // 2 trials × 2 folds
}

TEST(RunLimits, HugeMaxConcurrentInTheSweepFileIsReducedAndTheSweepFinishes) {
  fixtures::TempDir dir;
  dir.write("m.yaml", tiny_sweep("m", "resources: {max_concurrent: 65536}\n"));
  const auto run = run_sweep_command({"run", "m.yaml"}, dir.path(), "run");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("resources.max_concurrent 65536 is more units at once"), std::string::npos)
      << run.err;
  EXPECT_LT(run.max_rss_kb, kMemoryLimitKb);
  EXPECT_EQ(completed_folds(dir.file("results/m.db")), 4);
}

// Within the maximum nothing is said and nothing is changed.
TEST(RunLimits, AnOrdinaryJobCountIsTakenAsGiven) {
  fixtures::TempDir dir;
  dir.write("o.yaml", tiny_sweep("o", ""));
  const auto run = run_sweep_command({"run", "o.yaml", "-j", "2"}, dir.path(), "run");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err.find("more units at once"), std::string::npos) << run.err;
  EXPECT_EQ(completed_folds(dir.file("results/o.db")), 4);
}

}  // namespace
}  // namespace eegsweep
