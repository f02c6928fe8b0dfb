// Issue 11's evaluation records in the PostgreSQL store (results/pg_evaluation_records.cpp): the
// splits are stored once whatever number of workers store them, the baseline is computed by one
// worker only while the others wait for it, a final run keeps its model and group scores, and the
// final run's worker completes a trial whose units are all done before it picks the best.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>

#include "results/pg_store.h"
#include "tests/cluster/pg_test_server.h"
#include "tests/cluster/store_rows.h"

namespace eegsweep {
namespace {

using testing::fresh_database;
using testing::pg_rows;
using testing::pg_value;
using testing::sweep_row;

SweepSplits two_folds(const std::string& label) {
  SweepSplits splits;
  splits.held_out_groups = {"rec0", ""};
  splits.rows = {{0, 0, "rec0", label}, {1, 1, "", label}, {2, -1, "rec2", label}};
  return splits;
}

BaselineFoldRecord baseline_fold(int fold, double accuracy) {
  BaselineFoldRecord f;
  f.model = "linear_softmax";
  f.fold = fold;
  f.train_rows = 6;
  f.val_rows = 3;
  f.epochs = 200;
  f.scores.accuracy = accuracy;
  f.scores.loss = std::nan("");  // stored as NULL, as SQLite stores it
  f.confusion = ConfusionMatrix(2);
  f.confusion.add(0, 0);
  f.confusion.add(1, 0);
  f.weights_hash = "w" + std::to_string(fold);
  return f;
}

TEST(PgEvaluationRecords, SplitsAreStoredOnceAsGiven) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore store(url);
  const std::int64_t sweep = store.open_sweep(sweep_row("records"), false);
  store.record_splits(sweep, two_folds("class0"));
  store.record_splits(sweep, two_folds("changed"));  // a second worker: the first record stays
  EXPECT_EQ(pg_rows(url, "SELECT fold, held_out_group FROM split_folds ORDER BY fold"),
            (std::vector<std::vector<std::string>>{{"0", "rec0"}, {"1", ""}}));
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM split_folds WHERE held_out_group IS NULL"), "1");
  EXPECT_EQ(pg_rows(url, "SELECT row, role, fold, group_name, label FROM split_rows ORDER BY row"),
            (std::vector<std::vector<std::string>>{{"0", "cv", "0", "rec0", "class0"},
                                                   {"1", "cv", "1", "", "class0"},
                                                   {"2", "test", "", "rec2", "class0"}}));
}

TEST(PgEvaluationRecords, OneWorkerComputesTheBaselineWhileTheOthersWaitForIt) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  std::int64_t sweep = 0;
  {
    PgStore creator(url);
    sweep = creator.open_sweep(sweep_row("records"), false);
  }
  std::atomic<int> computed{0};
  std::atomic<bool> others_waiting{false};
  auto compute = [&] {
    ++computed;
    // Hold the lock until the other worker waits on it (seen on the server, not on a clock), so
    // that it certainly asks while the baseline is being computed.
    for (int i = 0; i < 3000 && !others_waiting; ++i) {
      others_waiting = pg_value(url, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND "
                                     "NOT granted AND database = (SELECT oid FROM pg_database "
                                     "WHERE datname = current_database())") == "1";
      if (!others_waiting) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::vector<BaselineFoldRecord>{baseline_fold(0, 0.5), baseline_fold(kBaselineTestFold, 0.25)};
  };
  std::vector<BaselineFoldRecord> first_result, second_result;
  std::thread first([&] {
    PgStore store(url);
    first_result = store.record_baseline_once(sweep, compute);
  });
  // The second starts once the first computes (holds the lock).
  while (computed == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::thread second([&] {
    PgStore store(url);
    second_result = store.record_baseline_once(sweep, compute);
  });
  first.join();
  second.join();
  EXPECT_TRUE(others_waiting) << "the second worker never waited for the lock";
  EXPECT_EQ(computed, 1);
  EXPECT_EQ(first_result.size(), 2u);
  EXPECT_TRUE(second_result.empty());
  EXPECT_EQ(pg_rows(url, "SELECT fold, accuracy, loss IS NULL, confusion, weights_hash FROM "
                         "baseline_folds ORDER BY fold"),
            (std::vector<std::vector<std::string>>{{"-1", "0.25", "t", "[[1,0],[1,0]]", "w-1"},
                                                   {"0", "0.5", "t", "[[1,0],[1,0]]", "w0"}}));
}

TEST(PgEvaluationRecords, AFinalRunKeepsItsModelAndGroupScores) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore store(url);
  const std::int64_t sweep = store.open_sweep(sweep_row("records"), false);
  TrialRecord trial;
  trial.number = 1;
  trial.params_json = "{}";
  trial.params_hash = "h";
  store.generate_trials(sweep, 1, [&](const std::vector<TrialRecord>&) {
    return std::vector<TrialRecord>{trial};
  });
  FinalRunRecord run;
  run.trial_id = store.trials(sweep).at(0).id;
  run.kind = "final";
  run.epochs = 3;
  run.confusion = ConfusionMatrix(2);
  auto model = std::make_shared<TrainedModel>();
  model->config.input_size = 1;
  model->config.timesteps = 2;
  model->config.hidden_size = 1;
  model->config.num_layers = 1;
  model->config.num_classes = 2;
  model->batch_size = 4;
  model->feature_names = {"f0", "f1"};
  model->class_names = {"a", "b"};
  model->standardizer.mean = {0, 0};
  model->standardizer.inv_std = {1, 1};
  model->weights.values.assign(ParameterLayout(model->config).total, 0.0f);
  model->weights.values[0] = 1.0f;  // 0x3f800000: little-endian bytes 00 00 80 3f
  run.weights_hash = weights_hash(model->weights);
  run.model = model;
  // ann: 2 of class a right, 1 of class b wrong → accuracy 2/3, recall (1 + 0) / 2.
  // bob: class a only, 1 right of 2 → accuracy 1/2, recall over the one class present 1/2.
  ConfusionMatrix ann(2), bob(2);
  ann.add(0, 0);
  ann.add(0, 0);
  ann.add(1, 0);
  bob.add(0, 0);
  bob.add(0, 1);
  run.test_groups = {{"ann", ann}, {"bob", bob}};
  const std::int64_t id = store.record_final_run(run);
  EXPECT_EQ(pg_rows(url, "SELECT final_run_id, group_name, rows, round(accuracy::numeric, 6), "
                         "round(recall_macro::numeric, 6), confusion FROM final_run_groups ORDER BY 2"),
            (std::vector<std::vector<std::string>>{
                {std::to_string(id), "ann", "3", "0.666667", "0.500000", "[[2,0],[1,0]]"},
                {std::to_string(id), "bob", "2", "0.500000", "0.500000", "[[1,1],[0,0]]"}}));
  const auto stored = pg_rows(url, "SELECT length(weights), substr(encode(weights, 'hex'), 1, 8), "
                                   "weights_hash, layout_json::jsonb->>'hidden_size' FROM final_run_models");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0][0], std::to_string(4 * model->weights.values.size()));
  EXPECT_EQ(stored[0][1], "0000803f");
  EXPECT_EQ(stored[0][2], run.weights_hash);
  EXPECT_EQ(stored[0][3], "1");
}

TEST(PgEvaluationRecords, ATrialWhoseUnitsAreAllDoneIsCompletedBeforeTheBestIsPicked) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore store(url);
  const std::int64_t sweep = store.open_sweep(sweep_row("records"), false);
  std::vector<TrialRecord> trials(2);
  for (int i = 0; i < 2; ++i) {
    trials[i].number = i + 1;
    trials[i].params_json = "{}";
    trials[i].params_hash = "h" + std::to_string(i);
  }
  store.generate_trials(sweep, 2, [&](const std::vector<TrialRecord>&) { return trials; });
  auto mean_accuracy = [](const std::vector<FoldRecord>& folds) {
    double sum = 0;
    for (const auto& f : folds) sum += f.val.accuracy;
    return std::pair<double, double>{sum / folds.size(), 0.0};
  };
  LeasePolicy lease;
  // Trial 1: both folds recorded (0.5 and 0.75); trial 2: one of its two.
  for (double accuracy : {0.5, 0.75, 0.25}) {
    const auto claim = store.claim_unit(sweep, "w", lease);
    ASSERT_TRUE(claim);
    FoldRecord fold;
    fold.fold = claim->fold;
    fold.val.accuracy = accuracy;
    fold.confusion = ConfusionMatrix(2);
    ASSERT_TRUE(store.record_unit(*claim, "w", fold, mean_accuracy));
  }
  // As if the worker that recorded trial 1's last fold died before completing the trial.
  pg_rows(url, "UPDATE trials SET status = 'running', cv_mean = NULL WHERE number = 1");
  EXPECT_FALSE(store.best_trial(sweep));
  EXPECT_EQ(store.complete_done_trials(sweep, mean_accuracy), 1);
  EXPECT_EQ(pg_rows(url, "SELECT number, status, cv_mean FROM trials ORDER BY number"),
            (std::vector<std::vector<std::string>>{{"1", "completed", "0.625"}, {"2", "running", ""}}));
  ASSERT_TRUE(store.best_trial(sweep));
  EXPECT_EQ(store.best_trial(sweep)->number, 1);
}

}  // namespace
}  // namespace eegsweep
