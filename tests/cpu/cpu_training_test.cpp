// Training with the oneDNN trainer: reproducibility, the rules of training_rules.h (order,
// dropout, weight decay, Adam), evaluation, learning, errors, and one OpenMP thread per trainer.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <thread>

#include "engine/cpu/cpu_backend.h"
#include "engine/cpu/openmp_threads.h"
#include "engine/data/standardize.h"
#include "engine/data/synthetic.h"
#include "engine/model/backend.h"
#include "engine/model/fit.h"
#include "engine/model/training_rules.h"
#include "tests/support/training_data.h"
#include "tests/support/reference_gru.h"

namespace eegsweep {
namespace {

ModelConfig small_model(Head head) {
  ModelConfig model;
  model.input_size = 2;
  model.timesteps = 6;
  model.hidden_size = 12;
  model.num_layers = 2;
  model.head = head;
  model.num_classes = 3;
  return model;
}


TEST(CpuTraining, SameSeedIsBitIdentical) {
  const ModelConfig model = small_model(Head::flatten);
  auto data = test::random_dataset(50, 12, 3, 17);
  FoldData fold;
  for (RowIndex r = 0; r < 40; ++r) fold.train_rows.push_back(r);  // 40 = 3 × 13 + 1: a partial batch
  for (RowIndex r = 40; r < 50; ++r) fold.val_rows.push_back(r);
  fold.standardizer = test::standardizer_of(*data, fold.train_rows);
  TrainConfig train;
  train.batch_size = 13;
  train.dropout = 0.3;
  train.weight_decay = 1e-3;
  train.learning_rate = 3e-3;
  train.seed = 1234;

  auto run = [&](std::uint64_t seed, std::vector<double>& losses) {
    TrainConfig t = train;
    t.seed = seed;
    auto backend = make_cpu_backend(1);
    backend->set_dataset(data);
    auto trainer = backend->create_trainer(model, t, fold);
    for (int epoch = 0; epoch < 3; ++epoch) losses.push_back(trainer->train_epoch(epoch));
    losses.push_back(trainer->evaluate(fold.val_rows).loss);
    return trainer->weights();
  };
  std::vector<double> losses_a, losses_b, losses_c;
  const ModelWeights a = run(1234, losses_a);
  const ModelWeights b = run(1234, losses_b);
  const ModelWeights c = run(1235, losses_c);
  ASSERT_EQ(a.values.size(), b.values.size());
  EXPECT_EQ(0, std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(float)));
  EXPECT_EQ(weights_hash(a), weights_hash(b));
  for (std::size_t i = 0; i < losses_a.size(); ++i) EXPECT_EQ(losses_a[i], losses_b[i]) << i;
  EXPECT_NE(weights_hash(a), weights_hash(c));
  // Training moved the weights away from their initial values.
  EXPECT_NE(weights_hash(a), weights_hash(init_weights(model, 1234)));
}

// Two epochs of a single minibatch each (Adam steps t = 1 and t = 2), replayed by hand: the batch
// in epoch_order, the dropout mask of dropout_key(seed, epoch, 0), the reference gradient, L2 on
// matrices only, and Keras Adam with its bias correction. The step sizes are written out here
// rather than taken from adam_alpha(), so a wrong correction in the code under test shows.
TEST(CpuTraining, TwoStepsFollowTheTrainingRules) {
  // lr · sqrt(1 − β2^t) / (1 − β1^t), worked out by hand for lr = 0.01 (β as float32, as Keras).
  const double alpha_by_step[] = {0, 0.01 * 0.31622565496269905, 0.01 * 0.23531515812492532};
  const double beta1 = 0.89999997615814209, beta2 = 0.99900001287460327;
  for (Head head : {Head::flatten, Head::mean}) {
    SCOPED_TRACE(static_cast<int>(head));
    const ModelConfig model = small_model(head);
    const ParameterLayout layout(model);
    auto data = test::random_dataset(9, 12, 3, 23);
    FoldData fold;
    fold.train_rows = {7, 1, 4, 0, 8, 2, 5};
    fold.standardizer = test::standardizer_of(*data, fold.train_rows);
    TrainConfig train;
    train.batch_size = 16;
    train.dropout = 0.25;
    train.weight_decay = 0.05;
    train.learning_rate = 0.01;
    train.seed = 77;

    auto backend = make_cpu_backend(1);
    backend->set_dataset(data);
    auto trainer = backend->create_trainer(model, train, fold);
    ModelWeights w0 = trainer->weights();
    CounterRng rng(3);
    for (float& v : w0.values) v += static_cast<float>(0.1 * rng.normal());  // non-zero biases
    trainer->set_weights(w0);

    // The reference loss and L2-decayed gradient of `epoch`'s one minibatch at weights `w`.
    auto reference_step = [&](const std::vector<double>& w, int epoch) {
      const RowList order = epoch_order(fold.train_rows, train.seed, epoch);
      const std::uint64_t key = dropout_key(train.seed, epoch, 0);
      const int d = layout.head_inputs;
      std::vector<double> scale;
      for (std::size_t s = 0; s < order.size(); ++s) {
        for (int j = 0; j < d; ++j) {
          scale.push_back(dropout_keep(key, s * d + j, 0.25f) ? 1.0 / (1.0 - 0.25) : 0.0);
        }
      }
      auto ref = reference::gru_loss_and_gradient(
          model, w, test::standardized_inputs(*data, fold.standardizer, order),
          test::labels_of(*data, order), true, &scale);
      for (std::size_t k = 0; k < layout.total; ++k) {
        if (layout.is_matrix(k)) ref.gradient[k] += train.weight_decay * w[k];
      }
      return ref;
    };

    std::vector<double> m(layout.total, 0.0), v(layout.total, 0.0);
    std::vector<double> w(w0.values.begin(), w0.values.end());
    for (int t = 1; t <= 2; ++t) {
      SCOPED_TRACE("Adam step " + std::to_string(t));
      const auto ref = reference_step(w, t - 1);
      const double loss = trainer->train_epoch(t - 1);
      const ModelWeights after = trainer->weights();
      EXPECT_NEAR(loss, ref.loss, 1e-5 * ref.loss);
      const double alpha = alpha_by_step[t];
      int checked = 0;
      for (std::size_t k = 0; k < layout.total; ++k) {
        const double g = ref.gradient[k];
        m[k] = beta1 * m[k] + (1 - beta1) * g;
        v[k] = beta2 * v[k] + (1 - beta2) * g * g;
        if (std::abs(g) < 1e-4) continue;  // where ε = 1e-7 and float rounding dominate the step
        const double expected = w[k] - alpha * m[k] / (std::sqrt(v[k]) + 1e-7);
        EXPECT_NEAR(after.values[k], expected, 1e-3 * alpha + 1e-6) << "parameter " << k;
        ++checked;
      }
      EXPECT_GT(checked, static_cast<int>(layout.total / 2));
      // The next step starts from the trainer's own (float) weights.
      w.assign(after.values.begin(), after.values.end());
    }
  }
}

TEST(CpuTraining, EvaluateMatchesTheReference) {
  const ModelConfig model = small_model(Head::last);
  auto data = test::random_dataset(23, 12, 3, 31);
  FoldData fold;
  fold.train_rows = test::all_rows(23);
  fold.standardizer = test::standardizer_of(*data, fold.train_rows);
  TrainConfig train;
  train.batch_size = 8;  // 23 rows: chunks of 8, 8, 7
  train.seed = 5;
  auto backend = make_cpu_backend(1);
  backend->set_dataset(data);
  auto trainer = backend->create_trainer(model, train, fold);
  ModelWeights w0 = trainer->weights();
  CounterRng rng(8);
  for (float& v : w0.values) v += static_cast<float>(0.5 * rng.normal());
  trainer->set_weights(w0);

  const RowList rows = {22, 0, 5, 9, 13, 2, 17, 4, 11, 20, 1, 6, 19};
  const Evaluation eval = trainer->evaluate(rows);
  const std::vector<double> w(w0.values.begin(), w0.values.end());
  const auto ref = reference::gru_loss_and_gradient(
      model, w, test::standardized_inputs(*data, fold.standardizer, rows), test::labels_of(*data, rows), false);
  EXPECT_NEAR(eval.loss, ref.loss, 1e-5 * ref.loss);
  ConfusionMatrix expected(3);
  for (std::size_t s = 0; s < rows.size(); ++s) {
    const double* z = &ref.logits[s * 3];
    expected.add(data->y[rows[s]], static_cast<int>(std::max_element(z, z + 3) - z));
  }
  EXPECT_EQ(eval.confusion.counts, expected.counts);
  // Evaluation changes nothing.
  EXPECT_EQ(weights_hash(trainer->weights()), weights_hash(w0));
}

// Dropout is a training-time rule: a trainer configured with dropout evaluates the plain forward
// pass, the same as the reference without a mask and as a trainer without dropout.
TEST(CpuTraining, EvaluationIgnoresDropout) {
  for (Head head : {Head::last, Head::flatten}) {
    SCOPED_TRACE(static_cast<int>(head));
    const ModelConfig model = small_model(head);
    auto data = test::random_dataset(23, 12, 3, 37);
    FoldData fold;
    fold.train_rows = test::all_rows(23);
    fold.standardizer = test::standardizer_of(*data, fold.train_rows);
    auto backend = make_cpu_backend(1);
    backend->set_dataset(data);
    TrainConfig with_dropout;
    with_dropout.dropout = 0.5;
    with_dropout.batch_size = 8;
    with_dropout.seed = 19;
    TrainConfig without = with_dropout;
    without.dropout = 0.0;
    auto dropping = backend->create_trainer(model, with_dropout, fold);
    auto plain = backend->create_trainer(model, without, fold);
    // Train with dropout first, so the weights evaluated are those of a dropout-trained model.
    dropping->train_epoch(0);
    dropping->train_epoch(1);
    const ModelWeights trained = dropping->weights();
    plain->set_weights(trained);

    const RowList rows = {3, 14, 0, 22, 9, 5, 18, 11, 7};
    const Evaluation a = dropping->evaluate(rows);
    const Evaluation b = plain->evaluate(rows);
    EXPECT_EQ(a.loss, b.loss);
    EXPECT_EQ(a.confusion.counts, b.confusion.counts);
    const std::vector<double> w(trained.values.begin(), trained.values.end());
    const auto ref = reference::gru_loss_and_gradient(
        model, w, test::standardized_inputs(*data, fold.standardizer, rows),
        test::labels_of(*data, rows), false);
    EXPECT_NEAR(a.loss, ref.loss, 1e-5 * ref.loss);
    // Evaluating twice gives the same answer: no mask is drawn per call.
    EXPECT_EQ(dropping->evaluate(rows).loss, a.loss);
  }
}

TEST(CpuTraining, LearnsSyntheticClasses) {
  test::SyntheticTask task = test::small_synthetic_task();
  // Plain references, not a structured binding: lambdas may capture them in C++17.
  auto& data = task.data;
  auto& fold = task.fold;
  auto& model = task.model;
  auto& train = task.train;
  auto backend = make_cpu_backend(1);
  backend->set_dataset(data);
  train.epochs = 40;
  train.patience = 8;
  auto trainer = backend->create_trainer(model, train, fold);
  const double initial_loss = trainer->evaluate(fold.train_rows).loss;
  const FitResult result = fit(*trainer, fold, train, model.num_classes);
  EXPECT_GE(result.best.accuracy, 0.95) << "after " << result.history.size() << " epochs";
  EXPECT_LT(result.history.back().train_loss, 0.5 * initial_loss);
  // fit() restored the best epoch's weights: evaluating them again gives the best accuracy.
  const Evaluation again = trainer->evaluate(fold.val_rows);
  EXPECT_EQ(again.confusion.counts, result.best_confusion.counts);
}

TEST(CpuTraining, NonFiniteLossIsATrainingError) {
  const ModelConfig model = small_model(Head::last);
  const ParameterLayout layout(model);
  auto data = test::random_dataset(20, 12, 3, 3);
  FoldData fold;
  fold.train_rows = test::all_rows(20);
  fold.standardizer = test::standardizer_of(*data, fold.train_rows);
  TrainConfig train;
  train.batch_size = 8;
  auto backend = make_cpu_backend(1);
  backend->set_dataset(data);
  auto trainer = backend->create_trainer(model, train, fold);
  ModelWeights w = trainer->weights();
  w.values[layout.head_b] = std::numeric_limits<float>::infinity();
  trainer->set_weights(w);
  try {
    trainer->train_epoch(2);
    FAIL() << "expected TrainingError";
  } catch (const TrainingError& e) {
    EXPECT_STREQ(e.what(), "non-finite training loss at epoch 3, batch 1");
  }
}

TEST(CpuTraining, RejectsAModelThatDoesNotFitTheData) {
  auto data = test::random_dataset(10, 12, 3, 3);
  FoldData fold;
  fold.train_rows = test::all_rows(10);
  fold.standardizer = test::standardizer_of(*data, fold.train_rows);
  ModelConfig model = small_model(Head::last);
  model.timesteps = 5;  // 5 × 2 = 10 ≠ 12 features
  auto backend = make_cpu_backend(1);
  backend->set_dataset(data);
  try {
    backend->create_trainer(model, TrainConfig{}, fold);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("10 features, the dataset has 12"), std::string::npos) << e.what();
  }
  model = small_model(Head::last);
  model.num_classes = 2;  // labels go up to 2
  EXPECT_THROW(backend->create_trainer(model, TrainConfig{}, fold), std::invalid_argument);
}

TEST(CpuBackend, ConcurrencyAndName) {
  EXPECT_EQ(make_cpu_backend(3)->concurrency(), 3);
  EXPECT_EQ(make_cpu_backend(0)->concurrency(),
            static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  EXPECT_NE(make_cpu_backend(1)->name().find("oneDNN"), std::string::npos);
}

// A trainer keeps oneDNN to the thread that calls it, whatever the process default.
TEST(CpuBackend, TrainerUsesOneOpenMpThread) {
  if (openmp_max_threads() == 0) GTEST_SKIP() << "no OpenMP runtime loaded";
  auto data = test::random_dataset(10, 12, 3, 3);
  FoldData fold;
  fold.train_rows = test::all_rows(10);
  fold.standardizer = test::standardizer_of(*data, fold.train_rows);
  auto backend = make_cpu_backend(1);
  backend->set_dataset(data);
  int threads_inside = -1;
  std::thread worker([&] {
    set_openmp_threads(4);
    auto trainer = backend->create_trainer(small_model(Head::last), TrainConfig{}, fold);
    trainer->train_epoch(0);
    threads_inside = openmp_max_threads();
  });
  worker.join();
  EXPECT_EQ(threads_inside, 1);
  EXPECT_NE(backend->create_trainer(small_model(Head::last), TrainConfig{}, fold)->describe().find("lbr_gru"),
            std::string::npos);
}

// The scheduler trains several units at once: trainers on their own threads compute exactly what
// they compute alone.
TEST(CpuBackend, ConcurrentTrainersMatchSequentialOnes) {
  auto data = test::random_dataset(60, 12, 3, 41);
  FoldData fold;
  fold.train_rows = test::all_rows(45);
  for (RowIndex r = 45; r < 60; ++r) fold.val_rows.push_back(r);
  fold.standardizer = test::standardizer_of(*data, fold.train_rows);
  auto backend = make_cpu_backend(2);
  backend->set_dataset(data);
  auto train_one = [&](std::uint64_t seed, Head head) {
    TrainConfig train;
    train.seed = seed;
    train.batch_size = 10;
    train.dropout = 0.2;
    auto trainer = backend->create_trainer(small_model(head), train, fold);
    for (int epoch = 0; epoch < 2; ++epoch) trainer->train_epoch(epoch);
    return weights_hash(trainer->weights()) + "/" + std::to_string(trainer->evaluate(fold.val_rows).loss);
  };
  const std::string alone_a = train_one(1, Head::flatten), alone_b = train_one(2, Head::mean);
  std::string together_a, together_b;
  std::thread ta([&] { together_a = train_one(1, Head::flatten); });
  std::thread tb([&] { together_b = train_one(2, Head::mean); });
  ta.join();
  tb.join();
  EXPECT_EQ(together_a, alone_a);
  EXPECT_EQ(together_b, alone_b);
  EXPECT_NE(alone_a, alone_b);
}

TEST(TrainingRules, EpochOrderIsASeededPermutation) {
  RowList rows;
  for (RowIndex r = 100; r < 164; ++r) rows.push_back(r);
  const RowList a = epoch_order(rows, 9, 0);
  EXPECT_EQ(a, epoch_order(rows, 9, 0));
  EXPECT_NE(a, epoch_order(rows, 9, 1));
  EXPECT_NE(a, epoch_order(rows, 10, 0));
  EXPECT_NE(a, rows);
  RowList sorted = a;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, rows);
}

}  // namespace
}  // namespace eegsweep
