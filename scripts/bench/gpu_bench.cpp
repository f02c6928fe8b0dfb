// GPU throughput of the cuDNN backend at the classic notebook's shape (batch 32, 2548 steps × 1
// input, hidden 256, flatten head, 1278 training rows, 3 classes): seconds per trial-epoch with
// one trainer, and trial-epochs per hour with 1, 4, 16 trainers packed on one GPU (one thread
// and one trainer each, as the scheduler runs them).
//
//   build/bench/gpu_bench [--epochs 2] [--packs 1,4,16] [--hidden 256] [--timesteps 2548]
//                         [--batch 32] [--rows 1278] [--head flatten] [--tf32]
//   build/bench/gpu_bench --probe     # is a GPU usable? (scripts/gpu_check.sh asks first)
//
// Prints a table, then one `RESULT key=value …` line per measurement for scripts to parse.
// Without a GPU it says why and exits 0 (nothing to measure is not a failure of the build);
// --probe prints "gpu: <backend name>" and exits 0, or "no GPU: <why>" and exits 3.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cuda/cuda_backend.h"
#include "engine/data/random.h"
#include "engine/model/backend.h"

namespace {

using namespace eegsweep;
using Clock = std::chrono::steady_clock;

struct Options {
  int epochs = 2;
  std::vector<int> packs = {1, 4, 16};
  int hidden = 256;
  int timesteps = 2548;
  int batch = 32;
  int rows = 1278;
  Head head = Head::flatten;
  bool tf32 = false;
  bool probe = false;
};

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoi(item));
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--epochs") o.epochs = std::stoi(value());
    else if (a == "--packs") o.packs = parse_list(value());
    else if (a == "--hidden") o.hidden = std::stoi(value());
    else if (a == "--timesteps") o.timesteps = std::stoi(value());
    else if (a == "--batch") o.batch = std::stoi(value());
    else if (a == "--rows") o.rows = std::stoi(value());
    else if (a == "--head") o.head = parse_head(value());
    else if (a == "--tf32") o.tf32 = true;
    else if (a == "--probe") o.probe = true;
    else throw std::invalid_argument("unknown option " + a + " (see the comment at the top of gpu_bench.cpp)");
  }
  if (o.epochs < 1 || o.packs.empty()) throw std::invalid_argument("--epochs ≥ 1 and --packs non-empty");
  return o;
}

// Random features, balanced labels: throughput does not depend on what the data says.
std::shared_ptr<Dataset> classic_table(const Options& o) {
  auto data = std::make_shared<Dataset>();
  data->source = "gpu_bench random";
  data->rows = static_cast<std::size_t>(o.rows);
  data->features = static_cast<std::size_t>(o.timesteps);
  data->class_names = {"NEGATIVE", "NEUTRAL", "POSITIVE"};
  CounterRng rng(42);
  data->x.resize(data->rows * data->features);
  for (float& v : data->x) v = static_cast<float>(rng.normal());
  for (std::size_t r = 0; r < data->rows; ++r) data->y.push_back(static_cast<int>(r % 3));
  for (std::size_t f = 0; f < data->features; ++f) data->feature_names.push_back("f" + std::to_string(f));
  return data;
}

struct PackResult {
  int trainers = 0;
  double wall_seconds = 0;
  double seconds_per_trial_epoch = 0;  // wall / epochs for one trainer; wall·1/(k·epochs) packed
  double trial_epochs_per_hour = 0;
  std::string describe;
};

PackResult run_pack(Backend& backend, const Options& o, const FoldData& fold, int k) {
  ModelConfig model;
  model.input_size = 1;
  model.timesteps = o.timesteps;
  model.hidden_size = o.hidden;
  model.head = o.head;
  model.num_classes = 3;

  std::mutex mutex;
  std::condition_variable cv;
  int ready = 0;
  bool go = false;
  Clock::time_point start;
  std::vector<Clock::time_point> finished(static_cast<std::size_t>(k));
  std::vector<std::string> errors(static_cast<std::size_t>(k));
  std::string describe;
  std::vector<std::thread> threads;
  for (int i = 0; i < k; ++i) {
    threads.emplace_back([&, i] {
      std::unique_ptr<Trainer> trainer;
      try {
        TrainConfig train;
        train.batch_size = o.batch;
        train.tf32 = o.tf32;
        train.seed = 1000 + static_cast<std::uint64_t>(i);
        trainer = backend.create_trainer(model, train, fold);
        // One untimed epoch: the first includes the algorithm probe and lazy library loading.
        trainer->train_epoch(0);
        if (i == 0) describe = trainer->describe();
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(i)] = e.what();
      }
      {
        std::unique_lock<std::mutex> lock(mutex);
        ++ready;
        cv.notify_all();
        cv.wait(lock, [&] { return go; });
      }
      try {
        if (trainer) {
          for (int e = 1; e <= o.epochs; ++e) trainer->train_epoch(e);
        }
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(i)] = e.what();
      }
      finished[static_cast<std::size_t>(i)] = Clock::now();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return ready == k; });
    start = Clock::now();
    go = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  for (int i = 0; i < k; ++i) {
    if (!errors[static_cast<std::size_t>(i)].empty()) {
      throw std::runtime_error("trainer " + std::to_string(i) + " of " + std::to_string(k) + ": " +
                               errors[static_cast<std::size_t>(i)]);
    }
  }
  const auto end = *std::max_element(finished.begin(), finished.end());
  PackResult r;
  r.trainers = k;
  r.wall_seconds = std::chrono::duration<double>(end - start).count();
  const double trial_epochs = static_cast<double>(k) * o.epochs;
  r.seconds_per_trial_epoch = r.wall_seconds / trial_epochs;
  r.trial_epochs_per_hour = trial_epochs / r.wall_seconds * 3600.0;
  r.describe = describe;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    std::string why;
    if (!cuda_usable(&why)) {
      if (o.probe) {
        std::printf("no GPU: %s\n", why.c_str());
        return 3;
      }
      std::printf("gpu_bench: skipped, %s\n", why.c_str());
      return 0;
    }
    auto backend = make_cuda_backend();
    if (o.probe) {
      std::printf("gpu: %s\n", backend->name().c_str());
      return 0;
    }
    auto data = classic_table(o);
    backend->set_dataset(data);
    FoldData fold;
    for (RowIndex r = 0; r < data->rows; ++r) fold.train_rows.push_back(r);
    fold.standardizer = Standardizer::identity(data->features);

    std::printf("gpu_bench: %s\n", backend->name().c_str());
    std::printf("shape: batch %d, %d steps x 1 input, hidden %d, %s head, %d training rows, %s\n",
                o.batch, o.timesteps, o.hidden, head_name(o.head), o.rows, o.tf32 ? "TF32" : "strict FP32");
    std::printf("%8s %12s %22s %22s\n", "trainers", "wall s", "s per trial-epoch", "trial-epochs per hour");
    for (int k : o.packs) {
      const PackResult r = run_pack(*backend, o, fold, k);
      std::printf("%8d %12.2f %22.3f %22.1f\n", r.trainers, r.wall_seconds, r.seconds_per_trial_epoch,
                  r.trial_epochs_per_hour);
      std::printf("RESULT engine=eegsweep trainers=%d epochs=%d wall_s=%.3f s_per_trial_epoch=%.4f "
                  "trial_epochs_per_hour=%.1f\n",
                  r.trainers, o.epochs, r.wall_seconds, r.seconds_per_trial_epoch, r.trial_epochs_per_hour);
      if (k == o.packs.front()) std::printf("trainer: %s\n", r.describe.c_str());
      std::fflush(stdout);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gpu_bench: %s\n", e.what());
    return 1;
  }
}
