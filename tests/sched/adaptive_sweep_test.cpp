// Bayes (TPE) sweeps and early termination run end to end on small synthetic data: the same
// file, seed and -j give the same trials in the same order; a resumed bayes sweep continues its
// history; hyperband's and the forgiving rule's decisions are checked against the rules
// recomputed here from the stored curves (W&B's cut-off element floor(n / eta); the incumbent's
// worst fold), and the final run never picks a pruned trial.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine/sched/scheduler.h"
#include "engine/sched/stop_signal.h"
#include "results/store.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

class AdaptiveSweep : public ::testing::Test {
 protected:
  void SetUp() override { reset_stop(); }
  void TearDown() override { reset_stop(); }

  SweepSpec spec(const std::string& name, const std::string& extra) const {
    SweepSpec s = parse_sweep(R"(
data:
  format: synthetic
  synthetic: {rows: 150, features: 8, classes: 2, noise: 1.5, seed: 3}
test_split: 0.2
cv: {folds: 3}
seed: 11
device: cpu
)" + extra,
                              dir_ + "/" + name + ".yaml");
    s.results_path = dir_ + "/" + name + ".db";
    return s;
  }

  static RunOptions jobs(int j, int stop_after_units = 0) {
    RunOptions o;
    o.max_concurrent = j;
    o.stop_after_units = stop_after_units;
    return o;
  }

  fixtures::TempDir temp_;
  const std::string dir_ = temp_.path();
};

const char* kBayes = R"(
method: bayes
run_cap: 14
parameters:
  hidden_size: {distribution: int_uniform, min: 2, max: 8}
  learning_rate: {distribution: log_uniform_values, min: 0.0005, max: 0.05}
  dropout: {min: 0.0, max: 0.3}
  head: {values: [last, mean]}
  timesteps: {value: 4}
  epochs: {value: 2}
  patience: {value: 0}
  batch_size: {value: 32}
)";

struct Row {
  int number;
  std::string params;
  std::optional<double> cv;
  bool operator==(const Row& o) const { return number == o.number && params == o.params && cv == o.cv; }
};

std::vector<Row> rows_of(const SweepSpec& s, std::int64_t sweep_id) {
  Store store(s.results_path);
  std::vector<Row> rows;
  for (const auto& t : store.trials(sweep_id)) rows.push_back({t.number, t.params_json, t.cv_mean});
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.number < b.number; });
  return rows;
}

TEST_F(AdaptiveSweep, BayesGivesTheSameTrialsInTheSameOrderWithTheSameJobs) {
  const SweepSpec a = spec("a", kBayes), b = spec("b", kBayes);
  const RunSummary first = run_sweep(a, jobs(2));
  const RunSummary second = run_sweep(b, jobs(2));
  EXPECT_EQ(first.completed, 14);
  const auto rows_a = rows_of(a, first.sweep_id), rows_b = rows_of(b, second.sweep_id);
  ASSERT_EQ(rows_a.size(), 14u);
  EXPECT_TRUE(rows_a == rows_b);
  std::set<std::string> distinct;
  for (const auto& r : rows_a) distinct.insert(r.params);
  EXPECT_EQ(distinct.size(), 14u);  // no two slots got the same suggestion
  EXPECT_TRUE(first.best.has_value());
  EXPECT_TRUE(first.final_run.has_value());
}

TEST_F(AdaptiveSweep, AResumedBayesSweepContinuesItsHistory) {
  const SweepSpec whole = spec("whole", kBayes), resumed = spec("resumed", kBayes);
  const RunSummary uninterrupted = run_sweep(whole, jobs(1));
  const RunSummary part = run_sweep(resumed, jobs(1, 20));  // 6 trials and 2 folds of the 7th
  EXPECT_TRUE(part.interrupted);
  reset_stop();
  const RunSummary rest = run_sweep(resumed, jobs(1));
  EXPECT_EQ(rest.completed, 14);
  EXPECT_TRUE(rows_of(whole, uninterrupted.sweep_id) == rows_of(resumed, rest.sweep_id));
}

double loss(double value, bool maximize) { return maximize ? -value : value; }

TEST_F(AdaptiveSweep, HyperbandPrunesByTheCutOffOfTheEarlierTrialsFirstFolds) {
  // One slot: every trial is judged against all trials before it. Bands 27/9 = 3 and 27/3 = 9 are
  // beyond 6 epochs but 27/27 = 1 and 3 are not: bands [1, 3].
  const SweepSpec s = spec("hyperband", R"(
method: grid
parameters:
  learning_rate: {values: [0.03, 0.00001, 0.01, 0.00003, 0.003, 0.00002]}
  hidden_size: {values: [4]}
  timesteps: {value: 4}
  epochs: {value: 6}
  patience: {value: 0}
  batch_size: {value: 16}
early_terminate: {type: hyperband, max_iter: 27, s: 3, eta: 3}
)");
  const RunSummary summary = run_sweep(s, jobs(1));
  EXPECT_GT(summary.pruned, 0);
  Store store(s.results_path);
  const auto trials = store.trials(summary.sweep_id);
  std::vector<std::vector<double>> earlier;  // first-fold loss curves of the trials before
  for (const auto& t : trials) {
    const auto folds = store.folds(t.id);
    ASSERT_FALSE(folds.empty());
    std::vector<double> curve;
    for (const auto& e : folds[0].epochs) curve.push_back(loss(e.val.accuracy, true));
    // Recomputed: at band b, the values at epoch b of this and every earlier curve that reached
    // it, sorted; stopped when its own is above element floor(n / 3).
    std::optional<int> stop_band;
    for (int band : {1, 3}) {
      if (static_cast<int>(curve.size()) < band) break;
      std::vector<double> at{curve[band - 1]};
      for (const auto& c : earlier)
        if (static_cast<int>(c.size()) >= band) at.push_back(c[band - 1]);
      std::sort(at.begin(), at.end());
      if (curve[band - 1] > at[at.size() / 3]) {
        stop_band = band;
        break;
      }
    }
    if (stop_band) {
      EXPECT_EQ(t.status, TrialStatus::pruned) << t.number;
      EXPECT_EQ(static_cast<int>(curve.size()), *stop_band) << t.number;
      EXPECT_EQ(folds.size(), 1u) << t.number;
      EXPECT_NE(t.error.find("hyperband at band " + std::to_string(*stop_band)), std::string::npos) << t.error;
    } else {
      EXPECT_EQ(t.status, TrialStatus::completed) << t.number << " " << t.error;
      EXPECT_EQ(folds.size(), 3u);
    }
    earlier.push_back(curve);
  }
  ASSERT_TRUE(summary.best.has_value());
  EXPECT_EQ(summary.best->status, TrialStatus::completed);
}

TEST_F(AdaptiveSweep, ForgivingStopsAFoldWorseThanTheIncumbentsWorstFold) {
  const SweepSpec s = spec("forgiving", R"(
method: grid
parameters:
  learning_rate: {values: [0.03, 0.00001, 0.01, 0.00003, 0.003]}
  hidden_size: {values: [4]}
  timesteps: {value: 4}
  epochs: {value: 4}
  patience: {value: 0}
  batch_size: {value: 16}
early_terminate: {type: cv_forgiving}
)");
  const RunSummary summary = run_sweep(s, jobs(1));
  Store store(s.results_path);
  std::optional<double> best_cv;
  std::vector<double> incumbent;  // fold accuracies of the best completed trial so far
  int pruned = 0;
  for (const auto& t : store.trials(summary.sweep_id)) {
    const auto folds = store.folds(t.id);
    const double worst = incumbent.empty() ? -1 : *std::min_element(incumbent.begin(), incumbent.end());
    // The first fold (in fold order) below the incumbent's worst.
    std::optional<std::size_t> stop_at;
    for (std::size_t f = 0; f < folds.size(); ++f)
      if (!incumbent.empty() && folds[f].val.accuracy < worst) {
        stop_at = f;
        break;
      }
    if (stop_at) {
      ++pruned;
      EXPECT_EQ(t.status, TrialStatus::pruned) << t.number;
      EXPECT_EQ(folds.size(), *stop_at + 1) << t.number;
      EXPECT_NE(t.error.find("cv_forgiving after fold " + std::to_string(*stop_at + 1)), std::string::npos) << t.error;
    } else {
      ASSERT_EQ(t.status, TrialStatus::completed) << t.number << " " << t.error;
      if (!best_cv || *t.cv_mean > *best_cv) {
        best_cv = t.cv_mean;
        incumbent.clear();
        for (const auto& f : folds) incumbent.push_back(f.val.accuracy);
      }
    }
  }
  EXPECT_GT(pruned, 0);  // the slow learning rates fall behind the first trial
  EXPECT_EQ(pruned, summary.pruned);
  ASSERT_TRUE(summary.best.has_value());
  EXPECT_EQ(summary.best->status, TrialStatus::completed);
  EXPECT_DOUBLE_EQ(*summary.best->cv_mean, *best_cv);
}

}  // namespace
}  // namespace eegsweep
