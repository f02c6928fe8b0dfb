// Early termination through the built binary: `run` says how many trials were pruned, `results`
// ranks only completed trials and `results --all` lists each pruned one with what stopped it —
// checked against the database with plain SQL; `best` never names a pruned trial.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using testing::run_sweep_command;

TEST(SearchEndToEnd, PrunedTrialsAreListedWithWhatStoppedThemAndNeverRanked) {
  fixtures::TempDir temp;
  temp.write("prune.yaml", R"(name: prune
data:
  format: synthetic
  synthetic: {rows: 150, features: 8, classes: 2, noise: 1.5, seed: 3}
cv: {folds: 3}
seed: 11
device: cpu
parameters:
  learning_rate: {values: [0.03, 0.00001, 0.01, 0.00003]}
  hidden_size: {value: 4}
  timesteps: {value: 4}
  epochs: {value: 4}
  patience: {value: 0}
  batch_size: {value: 16}
early_terminate: {type: cv_forgiving}
)");
  const auto run = run_sweep_command({"run", "prune.yaml", "-j", "1"}, temp.path(), "run");
  ASSERT_EQ(run.exit_code, 0) << run.err;

  SQLite::Database db(temp.file("results/prune.db"));
  const int pruned = db.execAndGet("select count(*) from trials where status = 'pruned'").getInt();
  ASSERT_GT(pruned, 0) << run.out;
  EXPECT_NE(run.out.find(std::to_string(pruned) + " trial(s) pruned by early_terminate"), std::string::npos) << run.out;

  const auto results = run_sweep_command({"results"}, temp.path(), "results");
  ASSERT_EQ(results.exit_code, 0) << results.err;
  EXPECT_NE(results.out.find(std::to_string(pruned) + " trial(s) pruned by early_terminate: `--all` lists them"),
            std::string::npos)
      << results.out;

  const auto all = run_sweep_command({"results", "--all"}, temp.path(), "results-all");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  SQLite::Statement rows(db,
                         "select t.number, t.error, (select count(*) from folds f where f.trial_id = t.id) "
                         "from trials t where t.status = 'pruned'");
  while (rows.executeStep()) {
    const std::string line = "trial " + std::to_string(rows.getColumn(0).getInt()) + " (" +
                             std::to_string(rows.getColumn(2).getInt()) + " folds stored) " +
                             rows.getColumn(1).getString();
    EXPECT_NE(all.out.find(line), std::string::npos) << line << "\n" << all.out;
    EXPECT_NE(rows.getColumn(1).getString().find("pruned by cv_forgiving after fold"), std::string::npos);
  }

  // The leaderboard and `best` hold completed trials only.
  EXPECT_EQ(db.execAndGet("select count(*) from leaderboard l join trials t on t.id = l.trial_id "
                          "where t.status != 'completed'")
                .getInt(),
            0);
  const int best = db.execAndGet("select t.number from trials t join final_runs r on r.trial_id = t.id "
                                 "where r.kind = 'final'")
                       .getInt();
  EXPECT_EQ(db.execAndGet("select status from trials where number = " + std::to_string(best)).getString(),
            "completed");
}

}  // namespace
}  // namespace eegsweep
