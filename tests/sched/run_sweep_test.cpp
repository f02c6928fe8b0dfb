// run_sweep in this process, interrupted at a chosen unit count instead of at a chosen time, so
// that every outcome here is the same on every run: finished folds are never retrained, every
// stored fold sits under the number of the split it was trained on, and the final run retrains
// the leaderboard's first trial.
#include <gtest/gtest.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "engine/cpu/cpu_backend.h"
#include "engine/model/fit.h"
#include "engine/sched/final_run.h"
#include "engine/sched/scheduler.h"
#include "engine/sched/stop_signal.h"
#include "engine/sched/sweep_plan.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

class RunSweep : public ::testing::Test {
 protected:
  void SetUp() override { reset_stop(); }
  void TearDown() override { reset_stop(); }

  // 4 trials × 3 folds on synthetic data whose fold sizes differ (190 non-test rows: 64, 63, 63).
  SweepSpec spec() const {
    SweepSpec s = parse_sweep(R"(
name: resume
data:
  format: synthetic
  synthetic: {rows: 238, features: 12, classes: 2, noise: 0.8, seed: 4}
test_split: 0.2
cv: {folds: 3}
seed: 21
device: cpu
parameters:
  hidden_size: {values: [4, 6]}
  learning_rate: {values: [0.01, 0.003]}
  timesteps: {value: 6}
  epochs: {value: 3}
  patience: {value: 0}
  batch_size: {value: 32}
)",
                              dir_ + "/resume.yaml");
    s.results_path = dir_ + "/resume.db";
    return s;
  }

  static RunOptions one_at_a_time(int stop_after_units = 0) {
    RunOptions options;
    options.max_concurrent = 1;
    options.stop_after_units = stop_after_units;
    return options;
  }

  fixtures::TempDir temp_;
  const std::string dir_ = temp_.path();
};

// trial number → fold → rowid of its stored row.
std::map<int, std::map<int, std::int64_t>> fold_rows(Store& store, std::int64_t sweep_id) {
  std::map<int, std::map<int, std::int64_t>> rows;
  const QueryResult r = store.query(
      "select t.number, f.fold, f.rowid from folds f join trials t on t.id = f.trial_id "
      "where t.sweep_id = ?",
      {sweep_id});
  for (const auto& row : r.rows) {
    rows[static_cast<int>(std::get<std::int64_t>(row[0]))][static_cast<int>(std::get<std::int64_t>(row[1]))] =
        std::get<std::int64_t>(row[2]);
  }
  return rows;
}

TEST_F(RunSweep, StopsAfterTheChosenUnitAndResumesWithoutRetraining) {
  const SweepSpec s = spec();
  const RunSummary first = run_sweep(s, one_at_a_time(5));
  EXPECT_TRUE(first.interrupted);
  EXPECT_EQ(first.units_trained, 5);
  EXPECT_EQ(first.completed, 1);  // trial 1's three folds, then trial 2's first two
  EXPECT_FALSE(first.final_run);

  std::map<int, std::map<int, std::int64_t>> before;
  {
    Store store(s.results_path);
    before = fold_rows(store, first.sweep_id);
    EXPECT_EQ(store.query("select count(*) from trials where status = 'running'").rows[0][0],
              SqlValue(std::int64_t{0}));
  }
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[1].size(), 3u);
  EXPECT_EQ(before[2].size(), 2u);

  reset_stop();
  const RunSummary second = run_sweep(s, one_at_a_time());
  EXPECT_FALSE(second.interrupted);
  EXPECT_EQ(second.sweep_id, first.sweep_id);
  EXPECT_EQ(second.completed, 4);
  EXPECT_EQ(second.units_trained, 12 - 5) << "finished folds were trained again";

  Store store(s.results_path);
  const auto after = fold_rows(store, second.sweep_id);
  for (const auto& [trial, folds] : before) {
    for (const auto& [fold, rowid] : folds) {
      ASSERT_TRUE(after.at(trial).count(fold)) << "lost: trial " << trial << " fold " << fold;
      EXPECT_EQ(after.at(trial).at(fold), rowid) << "rewritten: trial " << trial << " fold " << fold;
    }
  }
  // Every trial holds exactly folds 0, 1, 2.
  for (int trial = 1; trial <= 4; ++trial) {
    std::set<int> folds;
    for (const auto& [fold, rowid] : after.at(trial)) folds.insert(fold);
    EXPECT_EQ(folds, (std::set<int>{0, 1, 2})) << "trial " << trial;
  }
}

// A fold stored by someone else (here: by hand, with values no training produces) is kept as it
// is: resume trains only the folds that are missing.
TEST_F(RunSweep, ResumeKeepsAPreStoredFold) {
  const SweepSpec s = spec();
  ASSERT_EQ(run_sweep(s, one_at_a_time(1)).units_trained, 1);  // trial 1, fold 0
  std::int64_t trial_id = 0;
  {
    Store store(s.results_path);
    const auto trial = store.trial(store.latest_sweep("resume")->id, 1);
    ASSERT_TRUE(trial);
    trial_id = trial->id;
    FoldRecord planted;
    planted.fold = 2;
    planted.train_rows = 127;
    planted.val_rows = 63;
    planted.best_epoch = 1;
    planted.val.accuracy = 0.123;
    planted.val.loss = 9.5;
    planted.confusion = ConfusionMatrix(2);
    planted.confusion.counts = {30, 1, 2, 30};
    store.record_fold(trial_id, planted);
  }
  reset_stop();
  const RunSummary resumed = run_sweep(s, one_at_a_time());
  EXPECT_EQ(resumed.units_trained, 12 - 2);
  Store store(s.results_path);
  const std::vector<FoldRecord> folds = store.folds(trial_id);
  ASSERT_EQ(folds.size(), 3u);
  EXPECT_EQ(folds[2].fold, 2);
  EXPECT_EQ(folds[2].val.accuracy, 0.123);
  EXPECT_EQ(folds[2].confusion.counts, (std::vector<std::int64_t>{30, 1, 2, 30}));
}

// Each stored fold is what training that trial on that split gives, recomputed here outside the
// scheduler: a fold stored under another number, or trained with another fold's seed, differs.
// cv.epoch_selection: fold — the epoch is chosen on the fold's validation rows, whose score at that
// epoch is stored.
TEST_F(RunSweep, EveryStoredFoldMatchesItsSplit) {
  SweepSpec s = spec();
  s.cv.epoch_selection = "fold";
  const RunSummary summary = run_sweep(s, RunOptions{});
  ASSERT_EQ(summary.completed, 4);
  const auto data = load_dataset(s);
  const SweepPlan plan = plan_sweep(s, data);
  auto backend = make_cpu_backend(1);
  backend->set_dataset(data);
  Store store(s.results_path);
  for (const TrialRecord& trial : store.trials(summary.sweep_id)) {
    const std::vector<FoldRecord> stored = store.folds(trial.id);
    ASSERT_EQ(stored.size(), 3u);
    for (int f = 0; f < 3; ++f) {
      SCOPED_TRACE("trial " + std::to_string(trial.number) + " fold " + std::to_string(f));
      const FoldData fold = fold_data(s, plan, f);
      TrialSetup setup = trial_setup(s, trial_params_from_json(trial.params_json), *data,
                                     fold_seed(trial_seed(s, trial.params_hash), f));
      auto trainer = backend->create_trainer(setup.model, setup.train, fold);
      const FitResult expected = fit(*trainer, fold, setup.train, setup.model.num_classes);
      EXPECT_EQ(stored[f].fold, f);
      EXPECT_EQ(stored[f].val_rows, static_cast<int>(plan.folds[f].val.size()));
      EXPECT_EQ(stored[f].train_rows, static_cast<int>(plan.folds[f].train.size()));
      EXPECT_EQ(stored[f].best_epoch, expected.best_epoch);
      EXPECT_EQ(stored[f].confusion.counts, expected.best_confusion.counts);
      EXPECT_DOUBLE_EQ(stored[f].val.loss, expected.best.loss);
    }
  }
}

// cv.epoch_selection: inner (the default): the model trains on the inner split of the fold's
// training rows, its epoch is chosen on the inner validation rows, and only then is the fold's
// validation set scored — once. Recomputed here from the inner split, fit() and evaluate().
TEST_F(RunSweep, InnerEpochSelectionScoresTheFoldOnceAtTheInnerBestEpoch) {
  const SweepSpec s = spec();
  ASSERT_EQ(s.cv.epoch_selection, "inner");
  const RunSummary summary = run_sweep(s, RunOptions{});
  ASSERT_EQ(summary.completed, 4);
  const auto data = load_dataset(s);
  const SweepPlan plan = plan_sweep(s, data);
  auto backend = make_cpu_backend(1);
  backend->set_dataset(data);
  Store store(s.results_path);
  for (const TrialRecord& trial : store.trials(summary.sweep_id)) {
    const std::vector<FoldRecord> stored = store.folds(trial.id);
    ASSERT_EQ(stored.size(), 3u);
    for (int f = 0; f < 3; ++f) {
      SCOPED_TRACE("trial " + std::to_string(trial.number) + " fold " + std::to_string(f));
      const FoldData inner = inner_fold_data(s, plan, f);
      const RowList& val = plan.folds[static_cast<std::size_t>(f)].val;
      for (RowIndex r : inner.val_rows) EXPECT_FALSE(std::binary_search(val.begin(), val.end(), r));
      TrialSetup setup = trial_setup(s, trial_params_from_json(trial.params_json), *data,
                                     fold_seed(trial_seed(s, trial.params_hash), f));
      auto trainer = backend->create_trainer(setup.model, setup.train, inner);
      const FitResult chosen = fit(*trainer, inner, setup.train, setup.model.num_classes);
      const Evaluation scored = trainer->evaluate(val);
      EXPECT_EQ(stored[f].val_rows, static_cast<int>(val.size()));
      EXPECT_EQ(stored[f].train_rows, static_cast<int>(inner.train_rows.size()));
      EXPECT_EQ(stored[f].best_epoch, chosen.best_epoch);
      EXPECT_EQ(stored[f].confusion.counts, scored.confusion.counts);
      EXPECT_DOUBLE_EQ(stored[f].val.loss, scored.loss);
      std::int64_t total = 0;
      for (auto c : stored[f].confusion.counts) total += c;
      EXPECT_EQ(total, static_cast<std::int64_t>(val.size()));
    }
  }
}

// The final run retrains the leaderboard's first trial: the one with the best mean CV score.
TEST_F(RunSweep, FinalRunRetrainsTheBestTrial) {
  const SweepSpec s = spec();
  const RunSummary summary = run_sweep(s, RunOptions{});
  ASSERT_TRUE(summary.final_run);
  Store store(s.results_path);
  const std::vector<TrialRecord> trials = store.trials(summary.sweep_id);
  const TrialRecord* best = nullptr;
  for (const auto& t : trials) {
    ASSERT_TRUE(t.cv_mean);
    if (best == nullptr || *t.cv_mean > *best->cv_mean) best = &t;  // ties: the lower number
  }
  EXPECT_EQ(summary.final_run->trial_id, best->id);
  const QueryResult first = store.leaderboard(summary.sweep_id, {});
  ASSERT_FALSE(first.rows.empty());
  const auto trial_column = std::find(first.columns.begin(), first.columns.end(), "trial") - first.columns.begin();
  EXPECT_EQ(first.rows[0][trial_column], SqlValue(std::int64_t{best->number}));
}

}  // namespace
}  // namespace eegsweep
