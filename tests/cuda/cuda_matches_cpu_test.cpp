// The cuDNN backend against the oneDNN backend (and the double-precision reference) from the
// same seed, data and weights: forward loss and confusion, one step's gradient, one epoch's
// weights, a short training run's metrics; then packing (trainers sharing a GPU compute exactly
// what one alone computes), admission and errors. Every test skips, saying why, without a GPU.
//
// Tolerances: both backends compute in strict FP32 (CUDNN_FMA_MATH, no TF32) but sum in
// different orders, so they differ by float rounding accumulated over T steps: ~1e-6 relative
// per operation, a few 1e-5 after a sequence. Adam normalises each update (≈ lr in size
// whatever the gradient), so weights are compared by the relative size of the difference of
// their updates, not element by element.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/cpu/cpu_backend.h"
#include "cuda/cuda_backend.h"
#include "engine/data/standardize.h"
#include "engine/data/synthetic.h"
#include "engine/model/backend.h"
#include "engine/model/fit.h"
#include "tests/support/training_data.h"
#include "tests/support/reference_gru.h"

namespace eegsweep {
namespace {

#define SKIP_WITHOUT_GPU()                                     \
  do {                                                         \
    std::string why;                                           \
    if (!cuda_usable(&why)) GTEST_SKIP() << "no GPU: " << why; \
  } while (0)

struct Shape {
  int batch, timesteps, inputs, hidden, layers;
  Head head;
  int classes;
};

std::string describe(const Shape& s) {
  return std::string("B") + std::to_string(s.batch) + " T" + std::to_string(s.timesteps) + " I" +
         std::to_string(s.inputs) + " H" + std::to_string(s.hidden) + " L" + std::to_string(s.layers) +
         " " + head_name(s.head) + " C" + std::to_string(s.classes);
}

ModelConfig model_of(const Shape& s) {
  ModelConfig m;
  m.input_size = s.inputs;
  m.timesteps = s.timesteps;
  m.hidden_size = s.hidden;
  m.num_layers = s.layers;
  m.head = s.head;
  m.num_classes = s.classes;
  return m;
}

// Both backends on the same table, the same fold and the same (perturbed) starting weights.
struct Pair {
  std::shared_ptr<Dataset> data;
  FoldData fold;
  std::unique_ptr<Backend> cpu_backend, gpu_backend;
  std::unique_ptr<Trainer> cpu, gpu;
};

Pair make_pair(const Shape& s, const TrainConfig& train, std::size_t rows, bool perturb) {
  Pair p;
  p.data = test::random_dataset(rows, static_cast<std::size_t>(s.timesteps) * s.inputs, s.classes,
                                500 + s.hidden + s.timesteps);
  for (RowIndex r = 0; r < rows; ++r) (r % 4 == 3 ? p.fold.val_rows : p.fold.train_rows).push_back(r);
  p.fold.standardizer = Standardizer::fit(*p.data, p.fold.train_rows);
  p.cpu_backend = make_cpu_backend(1);
  p.gpu_backend = make_cuda_backend();
  p.cpu_backend->set_dataset(p.data);
  p.gpu_backend->set_dataset(p.data);
  const ModelConfig model = model_of(s);
  p.cpu = p.cpu_backend->create_trainer(model, train, p.fold);
  p.gpu = p.gpu_backend->create_trainer(model, train, p.fold);
  // Same init from the same seed, on both, before anything else.
  EXPECT_EQ(weights_hash(p.cpu->weights()), weights_hash(p.gpu->weights()));
  if (perturb) {
    // Non-zero biases and a head that is not tiny, so that every gradient term matters.
    ModelWeights w = p.cpu->weights();
    CounterRng rng(5);
    for (float& v : w.values) v += static_cast<float>(0.2 * rng.normal());
    p.cpu->set_weights(w);
    p.gpu->set_weights(w);
  }
  return p;
}

struct Range {
  std::string name;
  std::size_t begin, end;
};

std::vector<Range> tensors(const ModelConfig& model) {
  const ParameterLayout layout(model);
  std::vector<Range> out;
  for (std::size_t l = 0; l < layout.layers.size(); ++l) {
    const auto& o = layout.layers[l];
    const std::string L = "layer" + std::to_string(l) + ".";
    out.push_back({L + "W", o.w, o.r});
    out.push_back({L + "R", o.r, o.b_w});
    out.push_back({L + "bW", o.b_w, o.b_r});
    out.push_back({L + "bR", o.b_r, o.b_r + 3 * static_cast<std::size_t>(model.hidden_size)});
  }
  out.push_back({"head.W", layout.head_w, layout.head_b});
  out.push_back({"head.b", layout.head_b, layout.total});
  return out;
}

// ‖a − b‖ / ‖b‖ over [begin, end).
double relative_difference(const std::vector<float>& a, const std::vector<float>& b, std::size_t begin,
                           std::size_t end) {
  double diff = 0, norm = 0;
  for (std::size_t k = begin; k < end; ++k) {
    diff += (static_cast<double>(a[k]) - b[k]) * (static_cast<double>(a[k]) - b[k]);
    norm += static_cast<double>(b[k]) * b[k];
  }
  return norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
}

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> all = {
      {8, 7, 2, 8, 1, Head::last, 3},       // persistent small-hidden algorithm candidate
      {5, 9, 1, 16, 2, Head::flatten, 2},   // two layers, flatten, batch smaller than the rows
      {6, 12, 3, 12, 1, Head::mean, 4},
      {4, 20, 1, 160, 1, Head::flatten, 3}, // hidden > 128: STANDARD only
      {3, 6, 4, 24, 3, Head::last, 2},
  };
  return all;
}

class CudaShapes : public ::testing::TestWithParam<Shape> {};

TEST_P(CudaShapes, ForwardLossAndConfusionMatchesCpu) {
  SKIP_WITHOUT_GPU();
  const Shape s = GetParam();
  SCOPED_TRACE(describe(s));
  TrainConfig train;
  train.batch_size = s.batch;
  train.seed = 21;
  Pair p = make_pair(s, train, 37, true);
  // More rows than one batch, a partial last chunk.
  RowList rows = test::all_rows(37);
  const Evaluation cpu = p.cpu->evaluate(rows);
  const Evaluation gpu = p.gpu->evaluate(rows);
  EXPECT_NEAR(gpu.loss, cpu.loss, 1e-4 * std::abs(cpu.loss) + 1e-6);
  ASSERT_EQ(gpu.confusion.classes, s.classes);
  EXPECT_EQ(gpu.confusion.total(), 37);
  // Predictions agree except where two logits are within rounding of each other.
  std::int64_t differing = 0;
  for (std::size_t k = 0; k < cpu.confusion.counts.size(); ++k) {
    differing += std::abs(cpu.confusion.counts[k] - gpu.confusion.counts[k]);
  }
  EXPECT_LE(differing, 2);
}

TEST_P(CudaShapes, GradientMatchesCpuAndReference) {
  SKIP_WITHOUT_GPU();
  const Shape s = GetParam();
  SCOPED_TRACE(describe(s));
  TrainConfig train;
  train.batch_size = s.batch;
  train.seed = 22;
  Pair p = make_pair(s, train, 30, true);
  const ModelConfig model = model_of(s);
  // Scrambled order (the gather by row index), and larger than the trainer's batch so that the
  // GPU runs it in chunks (padding the last one).
  RowList batch;
  for (int b = 0; b < 2 * s.batch + 1; ++b) batch.push_back(static_cast<RowIndex>((b * 7 + 3) % 30));
  std::vector<float> g_cpu, g_gpu;
  const double loss_cpu = p.cpu->loss_and_gradient(batch, g_cpu);
  const double loss_gpu = p.gpu->loss_and_gradient(batch, g_gpu);
  EXPECT_NEAR(loss_gpu, loss_cpu, 1e-4 * std::abs(loss_cpu) + 1e-6);
  ASSERT_EQ(g_gpu.size(), g_cpu.size());

  const ModelWeights w = p.gpu->weights();
  const auto ref = reference::gru_loss_and_gradient(
      model, std::vector<double>(w.values.begin(), w.values.end()),
      test::standardized_inputs(*p.data, p.fold.standardizer, batch), test::labels_of(*p.data, batch));
  EXPECT_NEAR(loss_gpu, ref.loss, 1e-4 * std::abs(ref.loss) + 1e-6);
  for (const Range& r : tensors(model)) {
    EXPECT_LT(relative_difference(g_gpu, g_cpu, r.begin, r.end), 1e-4) << r.name << " vs cpu";
    double largest = 0;
    for (std::size_t k = r.begin; k < r.end; ++k) largest = std::max(largest, std::abs(ref.gradient[k]));
    int failures = 0;
    for (std::size_t k = r.begin; k < r.end && failures < 5; ++k) {
      if (std::abs(g_gpu[k] - ref.gradient[k]) > 2e-4 * std::abs(ref.gradient[k]) + 5e-5 * largest) {
        ++failures;
        ADD_FAILURE() << r.name << "[" << (k - r.begin) << "]: gpu " << g_gpu[k] << ", reference "
                      << ref.gradient[k];
      }
    }
  }
}

TEST_P(CudaShapes, OneEpochWeightsMatchCpu) {
  SKIP_WITHOUT_GPU();
  const Shape s = GetParam();
  SCOPED_TRACE(describe(s));
  TrainConfig train;
  train.batch_size = s.batch;
  train.seed = 23;
  train.dropout = 0.25;       // same masks on both (dropout_keep)
  train.weight_decay = 1e-3;  // matrices only
  train.learning_rate = 3e-3;
  Pair p = make_pair(s, train, 33, false);
  const ModelWeights w0 = p.cpu->weights();
  const double loss_cpu = p.cpu->train_epoch(0);
  const double loss_gpu = p.gpu->train_epoch(0);
  EXPECT_NEAR(loss_gpu, loss_cpu, 1e-4 * std::abs(loss_cpu));
  const ModelWeights cpu = p.cpu->weights();
  const ModelWeights gpu = p.gpu->weights();
  // Compare the updates w − w0 tensor by tensor.
  std::vector<float> du_cpu(w0.values.size()), du_gpu(w0.values.size());
  for (std::size_t k = 0; k < w0.values.size(); ++k) {
    du_cpu[k] = cpu.values[k] - w0.values[k];
    du_gpu[k] = gpu.values[k] - w0.values[k];
  }
  for (const Range& r : tensors(model_of(s))) {
    EXPECT_LT(relative_difference(du_gpu, du_cpu, r.begin, r.end), 2e-2) << r.name;
  }
  // A second epoch continues from Adam's state (step count, moments) on both.
  EXPECT_NEAR(p.gpu->train_epoch(1), p.cpu->train_epoch(1), 1e-3 * std::abs(loss_cpu));
}

INSTANTIATE_TEST_SUITE_P(Shapes, CudaShapes, ::testing::ValuesIn(shapes()),
                         [](const ::testing::TestParamInfo<Shape>& info) {
                           return "shape" + std::to_string(info.index);
                         });

// The classic notebook's sequence length (2548 steps, one input each) at a small hidden size
// and batch: rounding accumulated over thousands of recurrent steps stays within float noise.
TEST(CudaLongSequence, LongSequenceGradientMatchesCpu) {
  SKIP_WITHOUT_GPU();
  const Shape s{4, 2548, 1, 32, 1, Head::flatten, 3};
  SCOPED_TRACE(describe(s));
  TrainConfig train;
  train.batch_size = s.batch;
  train.seed = 31;
  Pair p = make_pair(s, train, 12, true);
  const RowList batch = {9, 2, 7, 4};
  std::vector<float> g_cpu, g_gpu;
  const double loss_cpu = p.cpu->loss_and_gradient(batch, g_cpu);
  const double loss_gpu = p.gpu->loss_and_gradient(batch, g_gpu);
  EXPECT_NEAR(loss_gpu, loss_cpu, 1e-4 * std::abs(loss_cpu) + 1e-6);
  ASSERT_EQ(g_gpu.size(), g_cpu.size());
  for (const Range& r : tensors(model_of(s))) {
    EXPECT_LT(relative_difference(g_gpu, g_cpu, r.begin, r.end), 1e-3) << r.name;
  }
  const RowList rows = test::all_rows(12);
  const Evaluation cpu = p.cpu->evaluate(rows);
  const Evaluation gpu = p.gpu->evaluate(rows);
  EXPECT_NEAR(gpu.loss, cpu.loss, 1e-4 * std::abs(cpu.loss) + 1e-6);
  EXPECT_EQ(gpu.confusion.total(), 12);
}

// Weight decay on its own. Adam's first step moves every parameter by lr·sign(g') (m = 0.1·g',
// v = 0.001·g'², alpha = lr·√0.001/0.1, so alpha·m/√v = lr·sign(g')), where g' = g + decay·w for
// matrices and g' = g for biases. With decay 1 and weights large next to the gradient, each
// matrix entry therefore moves by lr towards zero and each bias against its gradient: a hand
// calculation that checks the decay mask and the decay term on the GPU, and the CPU must agree.
TEST(CudaWeightDecay, WeightDecayAloneMatchesCpu) {
  SKIP_WITHOUT_GPU();
  const Shape s{16, 6, 2, 8, 1, Head::last, 3};
  SCOPED_TRACE(describe(s));
  TrainConfig train;
  train.batch_size = 16;  // all 16 training rows of the fold in one minibatch: one Adam step
  train.seed = 41;
  train.learning_rate = 1e-4;  // tiny next to the weights (~0.2)
  train.weight_decay = 1.0;
  Pair p = make_pair(s, train, 21, true);  // rows 3, 7, 11, … validate; 16 train
  ASSERT_EQ(p.fold.train_rows.size(), 16u);
  const ModelWeights w0 = p.gpu->weights();
  std::vector<float> g;
  p.cpu->loss_and_gradient(p.fold.train_rows, g);  // the epoch's only batch, in any order
  p.cpu->train_epoch(0);
  p.gpu->train_epoch(0);
  const ModelWeights cpu = p.cpu->weights();
  const ModelWeights gpu = p.gpu->weights();
  const ParameterLayout layout(model_of(s));
  const double lr = train.learning_rate;
  int checked = 0, matrices_towards_zero = 0;
  for (std::size_t k = 0; k < w0.values.size(); ++k) {
    const double effective = g[k] + (layout.is_matrix(k) ? w0.values[k] : 0.0);
    if (std::abs(effective) < 1e-3) continue;  // ε = 1e-7 and the order of summation matter here
    const double expected = -lr * (effective > 0 ? 1.0 : -1.0);
    const double du_gpu = static_cast<double>(gpu.values[k]) - w0.values[k];
    const double du_cpu = static_cast<double>(cpu.values[k]) - w0.values[k];
    // Allowed: one float spacing of w (the update is rounded where it is added), and 0.4 % of lr
    // for ε against √v = 0.0316·|g'| ≥ 3.2e-5 and Adam's float constants.
    const double tolerance = std::abs(w0.values[k]) * 1.2e-7 + 4e-3 * lr;
    EXPECT_NEAR(du_gpu, expected, tolerance) << "parameter " << k;
    EXPECT_NEAR(du_cpu, expected, tolerance) << "parameter " << k;
    if (layout.is_matrix(k) && std::abs(w0.values[k]) > 10 * std::abs(g[k])) {
      EXPECT_LT(std::abs(gpu.values[k]), std::abs(w0.values[k])) << "matrix parameter " << k;
      ++matrices_towards_zero;
    }
    ++checked;
  }
  EXPECT_GT(checked, static_cast<int>(w0.values.size() / 2));
  EXPECT_GT(matrices_towards_zero, 50);  // of 264 matrix entries
}

TEST(CudaTraining, SmallTrainingRunMatchesCpu) {
  SKIP_WITHOUT_GPU();
  test::SyntheticTask task = test::small_synthetic_task();
  // Plain references, not a structured binding: lambdas may capture them in C++17.
  auto& data = task.data;
  auto& fold = task.fold;
  auto& model = task.model;
  auto& train = task.train;
  train.epochs = 12;
  train.patience = 0;

  auto run = [&](std::unique_ptr<Backend> backend) {
    backend->set_dataset(data);
    auto trainer = backend->create_trainer(model, train, fold);
    return fit(*trainer, fold, train, model.num_classes);
  };
  const FitResult cpu = run(make_cpu_backend(1));
  const FitResult gpu = run(make_cuda_backend());
  ASSERT_EQ(gpu.history.size(), cpu.history.size());
  // Early epochs agree closely; rounding differences grow as training goes on.
  EXPECT_NEAR(gpu.history[0].train_loss, cpu.history[0].train_loss, 1e-3 * cpu.history[0].train_loss);
  EXPECT_NEAR(gpu.history.back().train_loss, cpu.history.back().train_loss,
              0.05 * cpu.history.back().train_loss);
  EXPECT_NEAR(gpu.best.accuracy, cpu.best.accuracy, 0.05);
  EXPECT_GE(gpu.best.accuracy, 0.9);
}

// Trainers packed on one GPU (own stream and handles each, running at the same time) compute
// bit for bit what a trainer alone computes.
TEST(CudaPacking, PackedTrainersAreBitIdenticalToOneAlone) {
  SKIP_WITHOUT_GPU();
  const Shape s{16, 40, 2, 32, 2, Head::flatten, 3};
  const ModelConfig model = model_of(s);
  auto data = test::random_dataset(120, 80, 3, 9);
  FoldData fold;
  for (RowIndex r = 0; r < 100; ++r) fold.train_rows.push_back(r);
  for (RowIndex r = 100; r < 120; ++r) fold.val_rows.push_back(r);
  fold.standardizer = Standardizer::fit(*data, fold.train_rows);
  TrainConfig train;
  train.batch_size = s.batch;
  train.seed = 77;
  train.dropout = 0.2;
  auto backend = make_cuda_backend();
  backend->set_dataset(data);

  auto train_two_epochs = [&](Trainer& t, std::vector<double>& losses) {
    losses.push_back(t.train_epoch(0));
    losses.push_back(t.train_epoch(1));
    losses.push_back(t.evaluate(fold.val_rows).loss);
  };
  std::vector<double> alone_losses;
  ModelWeights alone;
  {
    auto trainer = backend->create_trainer(model, train, fold);
    train_two_epochs(*trainer, alone_losses);
    alone = trainer->weights();
  }
  constexpr int packed = 6;
  std::vector<std::vector<double>> losses(packed);
  std::vector<ModelWeights> weights(packed);
  std::vector<std::string> errors(packed);
  std::vector<std::thread> threads;
  for (int i = 0; i < packed; ++i) {
    threads.emplace_back([&, i] {
      try {
        auto trainer = backend->create_trainer(model, train, fold);
        train_two_epochs(*trainer, losses[static_cast<std::size_t>(i)]);
        weights[static_cast<std::size_t>(i)] = trainer->weights();
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(i)] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < packed; ++i) {
    const auto k = static_cast<std::size_t>(i);
    ASSERT_EQ(errors[k], "") << "trainer " << i;
    EXPECT_EQ(losses[k], alone_losses) << "trainer " << i;
    ASSERT_EQ(weights[k].values.size(), alone.values.size());
    EXPECT_EQ(0, std::memcmp(weights[k].values.data(), alone.values.data(), alone.values.size() * sizeof(float)))
        << "trainer " << i;
  }
}

TEST(CudaBackend, DescribesDeviceAndAlgorithm) {
  SKIP_WITHOUT_GPU();
  auto backend = make_cuda_backend();
  EXPECT_EQ(backend->name().rfind("cuda:0 ", 0), 0u) << backend->name();
  EXPECT_NE(backend->name().find("cuDNN 9."), std::string::npos) << backend->name();
  EXPECT_GE(backend->concurrency(), 1);
  auto data = test::random_dataset(20, 12, 2, 4);
  backend->set_dataset(data);
  FoldData fold;
  fold.train_rows = test::all_rows(20);
  fold.standardizer = Standardizer::identity(12);
  ModelConfig model = model_of({8, 12, 1, 32, 1, Head::last, 2});
  TrainConfig train;
  train.batch_size = 8;
  const std::string strict = backend->create_trainer(model, train, fold)->describe();
  EXPECT_NE(strict.find("algo="), std::string::npos) << strict;
  EXPECT_NE(strict.find("fp32-strict"), std::string::npos) << strict;
  // The version as people write it ("cuDNN 9.19.0"), not cudnnGetVersion()'s 91900.
  EXPECT_EQ(strict.rfind("cuDNN 9.", 0), 0u) << strict;
  // The chosen algorithm's weight space holds exactly the GRU's parameters, 3H(I + H) + 6H
  // floats (double bias), give or take cuDNN's alignment padding; training needs a reserve.
  const std::size_t parameter_bytes = 4 * (3 * 32 * (1 + 32) + 6 * 32);
  const auto number_after = [&](const std::string& key) {
    const std::size_t at = strict.find(key);
    EXPECT_NE(at, std::string::npos) << key << " in " << strict;
    return at == std::string::npos ? 0 : std::stoull(strict.substr(at + key.size()));
  };
  const std::size_t weight_space = number_after(" weight_space=");
  EXPECT_GE(weight_space, parameter_bytes) << strict;
  EXPECT_LE(weight_space, parameter_bytes + 4096) << strict;
  EXPECT_GT(number_after(" reserve="), 0u) << strict;
  number_after(" workspace=");
  train.tf32 = true;
  const std::string tf32 = backend->create_trainer(model, train, fold)->describe();
  EXPECT_NE(tf32.find("tf32"), std::string::npos) << tf32;
}

TEST(CudaBackend, TrainerThatCanNeverFitIsATrainingError) {
  SKIP_WITHOUT_GPU();
  auto backend = make_cuda_backend();
  // 8 layers of 1024 units over 2048 steps at batch 512: the reserve space alone is ~200 GB,
  // more than any single GPU has. Either admission refuses it (out of GPU memory) or cuDNN
  // refuses the shape; both must be a TrainingError (the trial fails, the sweep goes on).
  auto data = test::random_dataset(8, 2048, 2, 4);
  backend->set_dataset(data);
  FoldData fold;
  fold.train_rows = test::all_rows(8);
  fold.standardizer = Standardizer::identity(2048);
  ModelConfig model = model_of({512, 2048, 1, 1024, 8, Head::last, 2});
  TrainConfig train;
  train.batch_size = 512;
  try {
    backend->create_trainer(model, train, fold);
    FAIL() << "expected TrainingError";
  } catch (const TrainingError& e) {
    const std::string what = e.what();
    EXPECT_TRUE(what.find("out of GPU memory") != std::string::npos ||
                what.find("cuDNN supports no GRU algorithm") != std::string::npos)
        << what;
  }
}

// A label outside the model's classes would index past the logits and the confusion matrix
// on the device; dropout ≥ 1 divides by zero. Both are refused before any kernel runs.
TEST(CudaBackend, RejectsBadLabelsAndDropoutBeforeTheDevice) {
  SKIP_WITHOUT_GPU();
  auto backend = make_cuda_backend();
  auto data = test::random_dataset(10, 12, 3, 3);
  data->y[6] = 5;  // three class names, one label beyond them
  backend->set_dataset(data);
  FoldData fold;
  fold.train_rows = test::all_rows(10);
  fold.standardizer = test::standardizer_of(*data, fold.train_rows);
  const ModelConfig model = model_of({4, 6, 2, 8, 1, Head::last, 3});
  try {
    backend->create_trainer(model, TrainConfig{}, fold);
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("row 6"), std::string::npos) << e.what();
  }
  data->y[6] = 1;
  backend->set_dataset(data);
  TrainConfig train;
  train.dropout = 1.0;
  EXPECT_THROW(backend->create_trainer(model, train, fold), std::invalid_argument);
  train.dropout = 0.5;
  EXPECT_NO_THROW(backend->create_trainer(model, train, fold));
}

TEST(CudaBackend, RejectsAModelThatDoesNotFitTheData) {
  SKIP_WITHOUT_GPU();
  auto backend = make_cuda_backend();
  auto data = test::random_dataset(10, 12, 3, 3);
  backend->set_dataset(data);
  FoldData fold;
  fold.train_rows = test::all_rows(10);
  fold.standardizer = test::standardizer_of(*data, fold.train_rows);
  ModelConfig model = model_of({4, 5, 2, 8, 1, Head::last, 3});  // 5 × 2 ≠ 12 features
  EXPECT_THROW(backend->create_trainer(model, TrainConfig{}, fold), std::invalid_argument);
  model = model_of({4, 6, 2, 8, 1, Head::last, 2});  // labels go up to 2
  EXPECT_THROW(backend->create_trainer(model, TrainConfig{}, fold), std::invalid_argument);
  model = model_of({4, 6, 2, 8, 1, Head::last, 3});
  auto trainer = backend->create_trainer(model, TrainConfig{}, fold);
  EXPECT_THROW(trainer->evaluate({3, 10}), std::out_of_range);
}

}  // namespace
}  // namespace eegsweep
