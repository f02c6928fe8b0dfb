// The epoch loop, with a scripted trainer: early stopping, restoring the best weights,
// non-finite losses, interruption.
#include <gtest/gtest.h>

#include <limits>

#include "engine/model/fit.h"

namespace eegsweep {
namespace {

// Validation accuracy follows a script; "weights" record the epoch that produced them.
class ScriptedTrainer : public Trainer {
 public:
  explicit ScriptedTrainer(std::vector<double> accuracy, std::vector<double> train_loss = {})
      : accuracy_(std::move(accuracy)), train_loss_(std::move(train_loss)) {}

  double train_epoch(int epoch) override {
    epoch_ = epoch;
    ++epochs_trained;
    weights_.values = {static_cast<float>(epoch)};
    return epoch < static_cast<int>(train_loss_.size()) ? train_loss_[epoch] : 1.0;
  }
  Evaluation evaluate(const RowList& rows) override {
    // A 2-class confusion with the scripted accuracy over 100 rows.
    Evaluation e;
    e.confusion = ConfusionMatrix(2);
    const auto hits = static_cast<std::int64_t>(accuracy_.at(epoch_) * 100 + 0.5);
    e.confusion.counts = {hits, 100 - hits, 0, 0};
    e.loss = 1.0 - accuracy_.at(epoch_);
    evaluated_rows = rows.size();
    return e;
  }
  ModelWeights weights() const override { return weights_; }
  void set_weights(const ModelWeights& w) override { weights_ = w; }
  double loss_and_gradient(const RowList&, std::vector<float>&) override { return 0; }

  int epochs_trained = 0;
  std::size_t evaluated_rows = 0;

 private:
  std::vector<double> accuracy_, train_loss_;
  int epoch_ = 0;
  ModelWeights weights_;
};

FoldData fold_with_val(std::size_t n) {
  FoldData fold;
  for (RowIndex i = 0; i < n; ++i) fold.val_rows.push_back(i);
  return fold;
}

TEST(Fit, StopsAfterPatienceAndRestoresBestWeights) {
  ScriptedTrainer trainer({0.5, 0.7, 0.9, 0.8, 0.85, 0.9, 0.95});
  TrainConfig config;
  config.epochs = 7;
  config.patience = 3;
  const FitResult result = fit(trainer, fold_with_val(10), config, 2);
  EXPECT_EQ(result.best_epoch, 2);
  EXPECT_TRUE(result.stopped_early);
  EXPECT_EQ(trainer.epochs_trained, 6);  // epochs 3, 4, 5 did not improve on 0.9
  EXPECT_EQ(result.history.size(), 6u);
  EXPECT_DOUBLE_EQ(result.best.accuracy, 0.9);
  EXPECT_EQ(trainer.weights().values, std::vector<float>{2.0f});
  EXPECT_EQ(result.best_confusion.at(0, 0), 90);
  EXPECT_EQ(trainer.evaluated_rows, 10u);
}

TEST(Fit, PatienceZeroTrainsEveryEpoch) {
  ScriptedTrainer trainer({0.9, 0.5, 0.5, 0.5});
  TrainConfig config;
  config.epochs = 4;
  config.patience = 0;
  const FitResult result = fit(trainer, fold_with_val(4), config, 2);
  EXPECT_EQ(trainer.epochs_trained, 4);
  EXPECT_FALSE(result.stopped_early);
  EXPECT_EQ(result.best_epoch, 0);
}

TEST(Fit, MinimizingLossPicksLowestLoss) {
  ScriptedTrainer trainer({0.6, 0.8, 0.7});
  TrainConfig config;
  config.epochs = 3;
  config.monitor = "loss";
  config.maximize = false;
  EXPECT_EQ(fit(trainer, fold_with_val(4), config, 2).best_epoch, 1);
}

TEST(Fit, NonFiniteLossThrowsTrainingError) {
  ScriptedTrainer trainer({0.5, 0.6}, {1.0, std::numeric_limits<double>::quiet_NaN()});
  TrainConfig config;
  config.epochs = 2;
  try {
    fit(trainer, fold_with_val(4), config, 2);
    FAIL() << "expected TrainingError";
  } catch (const TrainingError& e) {
    EXPECT_NE(std::string(e.what()).find("epoch 2"), std::string::npos) << e.what();
  }
}

TEST(Fit, StopRequestInterruptsBetweenEpochs) {
  ScriptedTrainer trainer({0.5, 0.6, 0.7});
  TrainConfig config;
  config.epochs = 3;
  int calls = 0;
  EXPECT_THROW(fit(trainer, fold_with_val(4), config, 2, [&] { return ++calls > 2; }), Interrupted);
  EXPECT_EQ(trainer.epochs_trained, 2);
}

TEST(Fit, TrainFixedEpochsRunsExactly) {
  ScriptedTrainer trainer({0.5, 0.5, 0.5, 0.5, 0.5});
  train_fixed_epochs(trainer, 5);
  EXPECT_EQ(trainer.epochs_trained, 5);
}

}  // namespace
}  // namespace eegsweep
