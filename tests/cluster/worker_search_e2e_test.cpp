// bayes/tpe and early_terminate run by `sweep worker` processes against a real PostgreSQL
// server. What is checked is what worker_search.h and worker_pruning.h guarantee, and nothing that
// depends on timing: several workers store exactly run_cap distinct trials, none lost or trained
// twice, the first ten being random search's first ten draws; one worker with -j 1 stores what
// `sweep run -j 1` stores (same trials, order, scores, pruning verdicts and reason texts: the
// local runner is the independent oracle); two workers prune a trial that every possible timing
// must prune, with a reason whose value and cut-off are stored values, and `sweep pull` +
// `results --all` list it.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/spec/sweep_spec.h"
#include "tests/cluster/pg_test_server.h"
#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using testing::Child;
using testing::fresh_database;
using testing::pg_rows;
using testing::pg_value;
using testing::run_sweep_command;

const char* kData = R"(
data:
  format: synthetic
  synthetic: {rows: 150, features: 8, classes: 2, noise: 1.5, seed: 3}
test_split: 0.2
cv: {folds: 2}
seed: 11
device: cpu
)";

// A space of uncountably many points: TPE's suggestions after the tenth are its own.
const char* kBayes = R"(
method: bayes
run_cap: 14
metric: {name: accuracy, goal: maximize}
parameters:
  hidden_size: {distribution: int_uniform, min: 2, max: 8}
  learning_rate: {distribution: log_uniform_values, min: 0.0005, max: 0.05}
  dropout: {min: 0.0, max: 0.3}
  head: {values: [last, mean]}
  timesteps: {value: 4}
  epochs: {value: 4}
  patience: {value: 0}
  batch_size: {value: 32}
)";

// Bands 27/27 = 1 and 27/9 = 3 (27/3 = 9 is beyond 6 epochs). Trial 6's learning rate is so small
// that its fold-1 loss after one epoch is above most others' (checked below from the stored
// curves, as the premise of the pruning assertions).
const char* kHyperbandGrid = R"(
method: grid
metric: {name: loss, goal: minimize}
parameters:
  learning_rate: {values: [0.05, 0.03, 0.02, 0.01, 0.005, 0.000001]}
  hidden_size: {values: [4]}
  timesteps: {value: 4}
  epochs: {value: 6}
  patience: {value: 0}
  batch_size: {value: 16}
early_terminate: {type: hyperband, max_iter: 27, s: 3, eta: 3}
)";

// Every stored trial as a comparable line: number, parameters, status, reason, score, folds.
std::vector<std::string> trial_lines(const std::string& sqlite_path) {
  SQLite::Database db(sqlite_path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT number, params_hash, status, COALESCE(error, ''), cv_mean, (SELECT "
                          "COUNT(*) FROM folds f WHERE f.trial_id = t.id) FROM trials t ORDER BY number");
  std::vector<std::string> lines;
  while (q.executeStep()) {
    char score[40] = "NULL";
    if (!q.getColumn(4).isNull()) std::snprintf(score, sizeof score, "%.17g", q.getColumn(4).getDouble());
    lines.push_back(q.getColumn(0).getString() + "|" + q.getColumn(1).getString() + "|" +
                    q.getColumn(2).getString() + "|" + q.getColumn(3).getString() + "|" + score + "|" +
                    q.getColumn(5).getString());
  }
  return lines;
}

class WorkerSearch : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& body) {
    return temp_.write(name, "name: " + name.substr(0, name.find('.')) + "\n" + kData + body);
  }
  std::vector<std::unique_ptr<Child>> start_workers(int n, const std::string& file, const std::string& url) {
    std::vector<std::unique_ptr<Child>> workers;
    for (int w = 0; w < n; ++w) {
      workers.push_back(std::make_unique<Child>(
          std::vector<std::string>{"worker", file, "--db", url, "--lease", "30"}, dir_,
          file + ".worker" + std::to_string(w)));
    }
    return workers;
  }
  void expect_all_succeed(std::vector<std::unique_ptr<Child>>& workers) {
    for (std::size_t w = 0; w < workers.size(); ++w) {
      const auto result = workers[w]->wait();
      EXPECT_EQ(result.exit_code, 0) << "worker " << w << ": " << result.err;
    }
  }
  // The draws of random search over the same space: what TPE's start-up trials must be.
  std::vector<std::string> random_draws(const std::string& file, int n) {
    SweepSpec random = load_sweep_file(dir_ + "/" + file);
    random.method = "random";
    random.run_cap = n;
    std::vector<std::string> hashes;
    for (const Trial& t : expand_trials(random)) hashes.push_back(t.params_hash);
    return hashes;
  }

  fixtures::TempDir temp_;
  const std::string dir_ = temp_.path();
};

TEST_F(WorkerSearch, ThreeWorkersStoreExactlyRunCapDistinctBayesTrials) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  write("bayes.yaml", kBayes);
  auto workers = start_workers(3, "bayes.yaml", url);
  expect_all_succeed(workers);

  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM trials"), "14");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(DISTINCT params_hash) FROM trials"), "14");
  EXPECT_EQ(pg_value(url, "SELECT MIN(number) || '-' || MAX(number) FROM trials"), "1-14");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM trials WHERE status = 'completed' AND cv_mean IS NOT NULL"), "14");
  // None lost, none trained twice: every unit done on its first claim, one fold row each.
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'done' AND attempt = 1"), "28");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units"), "28");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM folds"), "28");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM final_runs"), "1");
  // Whatever the timing, a trial numbered ≤ 10 was suggested with fewer than ten finished trials:
  // a start-up trial, i.e. random search's draw of that number.
  const std::vector<std::string> draws = random_draws("bayes.yaml", 10);
  const auto stored = pg_rows(url, "SELECT params_hash FROM trials WHERE number <= 10 ORDER BY number");
  ASSERT_EQ(stored.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(stored[i][0], draws[i]) << "trial " << i + 1;
}

TEST_F(WorkerSearch, OneWorkerStoresWhatSweepRunStoresForBayesWithEarlyTermination) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  const std::string body = std::string(kBayes) +
                           "early_terminate: {type: hyperband, max_iter: 27, s: 3, eta: 3, forgiving: true}\n";
  write("adaptive.yaml", body);
  const auto local = run_sweep_command({"run", "adaptive.yaml", "--db", "local.db", "-j", "1"}, dir_, "local");
  ASSERT_EQ(local.exit_code, 0) << local.err;
  const auto worker = run_sweep_command({"worker", "adaptive.yaml", "--db", url, "-j", "1"}, dir_, "worker");
  ASSERT_EQ(worker.exit_code, 0) << worker.err;
  ASSERT_EQ(run_sweep_command({"pull", "--db", url, "-o", "pulled.db"}, dir_, "pull").exit_code, 0);

  const std::vector<std::string> expected = trial_lines(dir_ + "/local.db");
  ASSERT_EQ(expected.size(), 14u);
  EXPECT_EQ(trial_lines(dir_ + "/pulled.db"), expected);
  // The comparison covers pruning (premise: the local run pruned some) and TPE's own suggestions
  // (premise: after the start-up trials, not random search's draws).
  int pruned = 0;
  for (const auto& line : expected) pruned += line.find("|pruned|pruned by ") != std::string::npos;
  EXPECT_GT(pruned, 0) << "the oracle run pruned nothing: the comparison would not cover pruning";
  const std::vector<std::string> draws = random_draws("adaptive.yaml", 14);
  int differ = 0;
  for (std::size_t i = 10; i < 14; ++i) differ += expected[i].find(draws[i]) == std::string::npos;
  EXPECT_GT(differ, 0) << "trials 11-14 are random search's draws: TPE did not use the history";
}

TEST_F(WorkerSearch, OneWorkerPrunesWhatSweepRunPrunes) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  write("grid.yaml", kHyperbandGrid);
  const auto local = run_sweep_command({"run", "grid.yaml", "--db", "local.db", "-j", "1"}, dir_, "local");
  ASSERT_EQ(local.exit_code, 0) << local.err;
  const auto worker = run_sweep_command({"worker", "grid.yaml", "--db", url, "-j", "1"}, dir_, "worker");
  ASSERT_EQ(worker.exit_code, 0) << worker.err;
  ASSERT_EQ(run_sweep_command({"pull", "--db", url, "-o", "pulled.db"}, dir_, "pull").exit_code, 0);
  const std::vector<std::string> expected = trial_lines(dir_ + "/local.db");
  EXPECT_EQ(trial_lines(dir_ + "/pulled.db"), expected);
  int pruned = 0;
  for (const auto& line : expected) pruned += line.find("|pruned|pruned by hyperband at band ") != std::string::npos;
  EXPECT_GT(pruned, 0) << "the oracle run pruned nothing: the comparison would not cover pruning";
  EXPECT_NE(worker.out.find(", " + std::to_string(pruned) + " trials pruned; "), std::string::npos) << worker.out;
}

TEST_F(WorkerSearch, TwoWorkersPruneByHyperbandAndPullListsThePrunedTrials) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  write("hyperband.yaml", kHyperbandGrid);
  auto workers = start_workers(2, "hyperband.yaml", url);
  expect_all_succeed(workers);

  // Nothing lost, nothing left claimable: every trial completed or pruned, every unit done.
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM trials WHERE status IN ('completed', 'pruned')"), "6");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'done'"), "12");
  // A unit without a fold row is exactly a unit of a pruned trial that nobody trained.
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units u WHERE NOT EXISTS (SELECT 1 FROM folds f WHERE "
                          "f.trial_id = u.trial_id AND f.fold = u.fold) AND (u.error IS DISTINCT FROM "
                          "'not trained: the trial was pruned' OR (SELECT status FROM trials t WHERE "
                          "t.id = u.trial_id) <> 'pruned')"),
            "0");

  // Trial 6's fold 1 is the last fold-1 unit claimed (fold-major), when at most one other fold-1
  // unit is still in flight: at band 1 it is compared with n - 1 ≥ 4 of the other five, and the
  // cut-off is element floor(n/3) (1 or 2) of the n sorted losses. If its epoch-1 loss is above
  // that of at least 3 of the five (the premise, from the stored curves), any 4 of them hold 2
  // lower losses and all 5 hold 3: it is pruned at band 1 whatever the timing.
  const auto band1 = pg_rows(url, "SELECT t.number, e.val_loss FROM epochs e JOIN trials t ON t.id = "
                                  "e.trial_id WHERE e.fold = 0 AND e.epoch = 0 ORDER BY t.number");
  ASSERT_EQ(band1.size(), 6u);  // every trial trained fold 1 for at least one epoch
  const double loss6 = std::stod(band1[5][1]);
  int lower = 0;
  for (int i = 0; i < 5; ++i) lower += std::stod(band1[static_cast<std::size_t>(i)][1]) < loss6;
  ASSERT_GE(lower, 3) << "trial 6's epoch-1 loss is not above 3 of the others: the data no longer fit this test";
  const std::string reason = pg_value(url, "SELECT status || ': ' || error FROM trials WHERE number = 6");
  char value[32];
  std::snprintf(value, sizeof value, "%.6g", loss6);
  EXPECT_EQ(reason.rfind("pruned: pruned by hyperband at band 1 (fold 1, epoch 1): loss " + std::string(value) +
                             " worse than the cut-off ", 0),
            0u)
      << reason;
  // (Trial 6's fold 2 may still have been trained: the other worker can claim it while trial 6's
  // fold 1 trains its first epoch, and a finished fold is kept. So its folds are not counted.)
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM epochs e JOIN trials t ON t.id = e.trial_id WHERE "
                          "t.number = 6 AND e.fold = 0"),
            "1");

  // Every pruning reason names a cut-off that is a stored loss of another trial at that epoch.
  for (const auto& row : pg_rows(url, "SELECT number, id, error FROM trials WHERE status = 'pruned'")) {
    int band = 0;
    double cut_off = 0;
    const std::size_t at = row[2].find("cut-off ");
    ASSERT_EQ(std::sscanf(row[2].c_str(), "pruned by hyperband at band %d", &band), 1) << row[2];
    ASSERT_NE(at, std::string::npos) << row[2];
    cut_off = std::stod(row[2].substr(at + 8));
    bool found = false;
    for (const auto& other : pg_rows(url, "SELECT val_loss FROM epochs WHERE fold = 0 AND epoch = " +
                                              std::to_string(band - 1) + " AND trial_id <> " + row[1])) {
      char text[32], expected[32];
      std::snprintf(text, sizeof text, "%.6g", std::stod(other[0]));
      std::snprintf(expected, sizeof expected, "%.6g", cut_off);
      found = found || std::string(text) == expected;
    }
    EXPECT_TRUE(found) << "trial " << row[0] << ": " << row[2];
  }

  ASSERT_EQ(run_sweep_command({"pull", "--db", url, "-o", "pulled.db"}, dir_, "pull").exit_code, 0);
  const auto listed = run_sweep_command({"results", "--db", "pulled.db", "--all"}, dir_, "results");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  // "trial 6 (N folds stored) pruned by hyperband at band 1 (fold 1, epoch 1): …", N 1 or 2.
  const std::size_t line = listed.out.find("trial 6 (");
  ASSERT_NE(line, std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find(" folds stored) pruned by hyperband at band 1 (fold 1, epoch 1)", line), line + 10)
      << listed.out;
}

}  // namespace
}  // namespace eegsweep
