// Training throughput of the CPU backend on one thread: minibatches of forward + backward +
// Adam through CpuTrainer::train_epoch, on random data of a fixed shape.
//
//   build/bench/train_bench [--shape classic|short|all] [--batches N] [--ceiling]
//
// --ceiling also times oneDNN's plain sgemm at the GRU's per-step shapes (B × H)·(H × 3H) and
// (B × 3H)·(3H × H), hot in cache, one thread: what one core can do on this work at best.
//
// One line per shape, key=value, for scripts/bench/run_train_bench.sh. FLOP count (GRU only,
// the head is < 1 % of it): a layer's forward is two GEMMs per step, input (B × I)·(I × 3H) and
// recurrent (B × H)·(H × 3H), i.e. 2·B·T·3H·(I + H); backward (data + weights) ≈ 2 × forward.
// Per sample and layer: 18·T·H·(I + H).

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <oneapi/dnnl/dnnl.h>

#include "engine/cpu/cpu_backend.h"
#include "engine/cpu/openmp_threads.h"
#include "engine/data/random.h"
#include "engine/data/standardize.h"
#include "engine/model/backend.h"

using namespace eegsweep;

namespace {

// This thread's CPU time: on a shared machine it shows what one core really delivers when the
// wall clock includes time the thread spent waiting for a core.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct BenchShape {
  const char* name;
  int batch, timesteps, inputs, hidden, layers;
  Head head;
  int classes;
  int batches;  // timed minibatches
};

double gru_flop_per_sample(const BenchShape& s) {
  double flop = 0;
  for (int l = 0; l < s.layers; ++l) {
    const double in = l == 0 ? s.inputs : s.hidden;
    flop += 18.0 * s.timesteps * s.hidden * (in + s.hidden);
  }
  return flop;
}

double sgemm_gflops(int m, int n, int k) {
  std::vector<float> a(static_cast<std::size_t>(m) * k, 0.5f), b(static_cast<std::size_t>(k) * n, 0.25f),
      c(static_cast<std::size_t>(m) * n, 0.0f);
  const double flop = 2.0 * m * n * k;
  const int reps = static_cast<int>(std::max(10.0, 2e10 / flop));  // ~0.2 s
  dnnl_sgemm('N', 'N', m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n);
  const double start = thread_cpu_seconds();
  for (int r = 0; r < reps; ++r) dnnl_sgemm('N', 'N', m, n, k, 1.0f, a.data(), k, b.data(), n, 1.0f, c.data(), n);
  return flop * reps / (thread_cpu_seconds() - start) * 1e-9;
}

void run_ceiling(const BenchShape& s) {
  set_openmp_threads(1);
  const int g = 3 * s.hidden;
  std::printf("ceiling=%s sgemm_fwd_step_gflops=%.1f sgemm_bwd_step_gflops=%.1f\n", s.name,
              sgemm_gflops(s.batch, g, s.hidden), sgemm_gflops(s.batch, s.hidden, g));
  std::fflush(stdout);
}

void run(const BenchShape& s) {
  const int rows = s.batch * s.batches;
  auto data = std::make_shared<Dataset>();
  data->source = "random";
  data->rows = static_cast<std::size_t>(rows);
  data->features = static_cast<std::size_t>(s.timesteps) * s.inputs;
  data->x.resize(data->rows * data->features);
  CounterRng rng(1);
  for (float& v : data->x) v = static_cast<float>(rng.normal());
  for (int r = 0; r < rows; ++r) data->y.push_back(static_cast<int>(rng.below(s.classes)));
  for (int c = 0; c < s.classes; ++c) data->class_names.push_back("c" + std::to_string(c));

  FoldData fold;
  for (int r = 0; r < rows; ++r) fold.train_rows.push_back(static_cast<RowIndex>(r));
  fold.standardizer = Standardizer::identity(data->features);
  ModelConfig model;
  model.input_size = s.inputs;
  model.timesteps = s.timesteps;
  model.hidden_size = s.hidden;
  model.num_layers = s.layers;
  model.head = s.head;
  model.num_classes = s.classes;
  TrainConfig train;
  train.batch_size = s.batch;
  train.seed = 7;

  auto backend = make_cpu_backend(1);
  backend->set_dataset(data);
  auto trainer = backend->create_trainer(model, train, fold);
  // Warm-up: creates the primitives and touches every buffer of a full batch.
  std::vector<float> gradient;
  RowList first(fold.train_rows.begin(), fold.train_rows.begin() + s.batch);
  trainer->loss_and_gradient(first, gradient);

  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_seconds();
  const double loss = trainer->train_epoch(0);
  const double cpu_seconds = thread_cpu_seconds() - cpu_start;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double samples_per_s = rows / seconds;
  std::printf(
      "shape=%s batch=%d timesteps=%d inputs=%d hidden=%d layers=%d head=%s batches=%d "
      "ms_per_batch=%.2f samples_per_s=%.2f gflop_per_sample=%.4f gflops=%.1f cpu_ms_per_batch=%.2f "
      "cpu_gflops=%.1f loss=%.4f\n",
      s.name, s.batch, s.timesteps, s.inputs, s.hidden, s.layers,
      s.head == Head::flatten ? "flatten" : s.head == Head::last ? "last" : "mean", s.batches,
      1e3 * seconds / s.batches, samples_per_s, gru_flop_per_sample(s) * 1e-9,
      gru_flop_per_sample(s) * samples_per_s * 1e-9, 1e3 * cpu_seconds / s.batches,
      gru_flop_per_sample(s) * rows / cpu_seconds * 1e-9, loss);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::string which = "all";
  int batches = 0;
  bool ceiling = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--shape" && i + 1 < argc) {
      which = argv[++i];
    } else if (arg == "--batches" && i + 1 < argc) {
      batches = std::stoi(argv[++i]);
    } else if (arg == "--ceiling") {
      ceiling = true;
    } else {
      std::fprintf(stderr, "usage: %s [--shape classic|short|all] [--batches N] [--ceiling]\n", argv[0]);
      return 2;
    }
  }
  const std::vector<BenchShape> shapes = {
      {"classic", 32, 2548, 1, 256, 1, Head::flatten, 3, 4},
      {"short", 64, 28, 91, 128, 1, Head::flatten, 3, 50},
  };
  bool any = false;
  for (BenchShape s : shapes) {
    if (which != "all" && which != s.name) continue;
    if (batches > 0) s.batches = batches;
    run(s);
    if (ceiling) run_ceiling(s);
    any = true;
  }
  if (!any) {
    std::fprintf(stderr, "unknown shape '%s' (classic, short, all)\n", which.c_str());
    return 2;
  }
  return 0;
}
