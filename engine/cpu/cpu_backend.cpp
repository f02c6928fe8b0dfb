// The CPU Backend: hands each (trial, fold) its own CpuTrainer. Trainers share nothing but the
// read-only dataset, so the scheduler can run one per core.

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <oneapi/dnnl/dnnl.hpp>

#include "engine/cpu/cpu_backend.h"
#include "engine/cpu/cpu_trainer.h"
#include "engine/model/backend.h"

namespace eegsweep {
namespace {

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(int threads) : threads_(threads) {
    if (threads_ <= 0) threads_ = std::max(1u, std::thread::hardware_concurrency());
  }

  std::string name() const override {
    const dnnl_version_t* v = dnnl::version();
    return "cpu (oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
           std::to_string(v->patch) + ", " + std::to_string(threads_) + " trainers)";
  }
  int concurrency() const override { return threads_; }
  // Trainers are single-threaded and compute-bound, so one per hardware thread is the useful
  // most; four per hardware thread still lets a small machine run a deliberately oversubscribed
  // sweep (a test, a -j 8 on a laptop) without handing it thousands of threads.
  int max_concurrency() const override {
    return 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  void set_dataset(std::shared_ptr<const Dataset> data) override { data_ = std::move(data); }
  std::unique_ptr<Trainer> create_trainer(const ModelConfig& model, const TrainConfig& train,
                                          const FoldData& fold) override {
    return std::make_unique<CpuTrainer>(data_, model, train, fold);
  }

 private:
  int threads_;
  std::shared_ptr<const Dataset> data_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(int threads) { return std::make_unique<CpuBackend>(threads); }

}  // namespace eegsweep
