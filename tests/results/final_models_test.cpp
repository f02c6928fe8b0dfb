// final_run_models: a final run's model round-trips bit for bit, is refused on the way in when
// its weights are not the run's hash, and on the way out when the stored blob was changed;
// baseline_folds round-trip and are not stored twice.
#include <gtest/gtest.h>

#include "engine/model/weights.h"
#include "tests/results/store_test_util.h"

namespace eegsweep {
namespace {

using test::make_fold;
using test::make_metrics;
using test::make_sweep_info;
using test::make_trials;
using test::sql_rows;

// 4 features as 2 steps × 2 inputs, H = 2, 3 classes, head `last`: W 3·2·2 = 12, R 3·2·2 = 12,
// bW 6, bR 6, Wd 3·2 = 6, bd 3 → 45 floats.
TrainedModel small_model() {
  TrainedModel m;
  m.config.input_size = 2;
  m.config.timesteps = 2;
  m.config.hidden_size = 2;
  m.config.num_layers = 1;
  m.config.head = Head::last;
  m.config.num_classes = 3;
  m.batch_size = 7;
  m.standardizer.mean = {0.5f, -1.25f, 3.0e-8f, 1e6f};
  m.standardizer.inv_std = {1.0f, 0.1f, 2.5f, 1.0f / 3.0f};
  for (int i = 0; i < 45; ++i) m.weights.values.push_back(0.01f * static_cast<float>(i) - 0.2f);
  m.feature_names = {"a", "b", "c", "d"};
  m.class_names = {"NEGATIVE", "NEUTRAL", "POSITIVE"};
  return m;
}

class FinalModels : public ::testing::Test {
 protected:
  FinalRunRecord run_with(const TrainedModel& model, const std::string& hash) {
    sweep_ = store_.open_sweep(make_sweep_info("grid"), false);
    store_.add_trials(sweep_, make_trials(1));
    FinalRunRecord run;
    run.trial_id = store_.trial(sweep_, 0)->id;
    run.kind = "final";
    run.epochs = 3;
    run.test = make_metrics(0.8, 3);
    run.confusion = make_fold(0, 0.0).confusion;
    run.weights_hash = hash;
    run.model = std::make_shared<TrainedModel>(model);
    return run;
  }
  test::TempDir dir_;
  std::string path_ = dir_.file("results.db");
  Store store_{path_};
  std::int64_t sweep_ = 0;
};

TEST_F(FinalModels, RoundTripBitForBit) {
  const TrainedModel model = small_model();
  const std::int64_t id = store_.record_final_run(run_with(model, weights_hash(model.weights)));
  EXPECT_EQ(sql_rows(path_, "SELECT length(weights) FROM final_run_models")[0][0], "180");  // 45 × 4
  const auto back = store_.final_model(id);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->weights.values, model.weights.values);
  EXPECT_EQ(back->standardizer.mean, model.standardizer.mean);
  EXPECT_EQ(back->standardizer.inv_std, model.standardizer.inv_std);
  EXPECT_EQ(back->feature_names, model.feature_names);
  EXPECT_EQ(back->class_names, model.class_names);
  EXPECT_EQ(back->batch_size, 7);
  EXPECT_EQ(back->config.hidden_size, 2);
  EXPECT_EQ(back->config.timesteps, 2);
  EXPECT_EQ(back->config.input_size, 2);
  EXPECT_EQ(back->config.head, Head::last);
  EXPECT_FALSE(store_.final_model(id + 1).has_value());
}

TEST_F(FinalModels, WeightsThatAreNotTheRunsHashAreRefused) {
  const TrainedModel model = small_model();
  EXPECT_THROW(store_.record_final_run(run_with(model, "0123456789abcdef")), StoreError);
  EXPECT_EQ(sql_rows(path_, "SELECT count(*) FROM final_runs")[0][0], "0");  // nothing half-stored
}

TEST_F(FinalModels, AChangedBlobIsRefusedOnRead) {
  const TrainedModel model = small_model();
  const std::int64_t id = store_.record_final_run(run_with(model, weights_hash(model.weights)));
  sql_rows(path_, "UPDATE final_run_models SET weights = zeroblob(180)");
  try {
    store_.final_model(id);
    FAIL() << "a changed model was read";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("changed or damaged"), std::string::npos) << e.what();
  }
  sql_rows(path_, "UPDATE final_run_models SET weights = zeroblob(100)");  // 25 floats: not the layout
  EXPECT_THROW(store_.final_model(id), StoreError);
}

TEST_F(FinalModels, BaselineFoldsRoundTripAndAreNotStoredTwice) {
  sweep_ = store_.open_sweep(make_sweep_info("grid"), false);
  BaselineFoldRecord fold;
  fold.model = "linear_softmax";
  fold.fold = 0;
  fold.train_rows = 80;
  fold.val_rows = 40;
  fold.epochs = 200;
  fold.scores = make_metrics(0.7, 3);
  fold.confusion = make_fold(0, 0.0).confusion;
  fold.weights_hash = "h0";
  BaselineFoldRecord test_fold = fold;
  test_fold.fold = kBaselineTestFold;
  test_fold.val_rows = 30;
  store_.record_baseline(sweep_, {fold, test_fold});
  BaselineFoldRecord changed = fold;
  changed.val_rows = 1;
  store_.record_baseline(sweep_, {changed});  // already there: kept as it was

  const auto back = store_.baseline(sweep_);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].fold, kBaselineTestFold);
  EXPECT_EQ(back[0].val_rows, 30);
  EXPECT_EQ(back[1].fold, 0);
  EXPECT_EQ(back[1].val_rows, 40);
  EXPECT_EQ(back[1].scores.accuracy, fold.scores.accuracy);
  EXPECT_EQ(back[1].scores.f1, fold.scores.f1);
  EXPECT_EQ(back[1].confusion.counts, fold.confusion.counts);
}

}  // namespace
}  // namespace eegsweep
