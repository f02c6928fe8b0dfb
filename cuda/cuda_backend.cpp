// The cuDNN backend: the dataset resident on every visible GPU, trainers packed several per GPU
// and admitted by their memory estimate (planning.h), the RNN algorithm cached per shape.
#include "cuda/cuda_backend.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "cuda/backend_state.h"
#include "cuda/failures.h"
#include "cuda/gru_trainer.h"
#include "cuda/planning.h"
#include "cuda/raii.h"

namespace eegsweep {
namespace cuda {

namespace {

// Trainers per GPU the scheduler runs at once. Small GRUs leave an H100 mostly idle (a long
// sequence is latency-bound), so several share each GPU; admission still guards memory.
// EEGSWEEP_GPU_TRAINERS_PER_DEVICE overrides (for benchmarking the packing).
int trainers_per_device() {
  if (const char* text = std::getenv("EEGSWEEP_GPU_TRAINERS_PER_DEVICE")) {
    const int n = std::atoi(text);
    if (n > 0) return n;
  }
  return 8;
}

std::vector<DeviceInfo> visible_devices() {
  int count = 0;
  EEGSWEEP_CUDA_CHECK(cudaGetDeviceCount(&count));
  std::vector<DeviceInfo> devices;
  for (int d = 0; d < count; ++d) {
    cudaDeviceProp prop{};
    EEGSWEEP_CUDA_CHECK(cudaGetDeviceProperties(&prop, d));
    DeviceInfo info;
    info.index = d;
    info.name = prop.name;
    info.compute_major = prop.major;
    info.compute_minor = prop.minor;
    info.total_bytes = prop.totalGlobalMem;
    devices.push_back(info);
  }
  if (devices.empty()) throw std::runtime_error("no CUDA device");
  return devices;
}

class CudnnBackend final : public Backend {
 public:
  CudnnBackend() : state_(std::make_shared<BackendState>(visible_devices())) {}

  std::string name() const override {
    const auto& devices = state_->devices();
    std::ostringstream text;
    text << "cuda:0 " << devices.front().name;
    if (devices.size() > 1) text << " (+" << devices.size() - 1 << " more GPU)";
    text << ", cuDNN " << format_cudnn_version(cudnnGetVersion());
    return text.str();
  }

  int concurrency() const override {
    return trainers_per_device() * static_cast<int>(state_->devices().size());
  }
  // Memory admission already holds back trainers that do not fit; beyond 64 streams per GPU the
  // small, latency-bound GRUs this runs gain nothing, and each trainer is a host thread.
  int max_concurrency() const override {
    return std::max(64, trainers_per_device()) * static_cast<int>(state_->devices().size());
  }

  void set_dataset(std::shared_ptr<const Dataset> data) override {
    if (!data) throw std::invalid_argument("cuDNN backend: set_dataset(nullptr)");
    if (data->x.size() != data->rows * data->features || data->y.size() != data->rows) {
      throw std::invalid_argument("cuDNN backend: dataset '" + data->source +
                                  "' has inconsistent sizes");
    }
    std::vector<std::shared_ptr<const DeviceDataset>> uploaded;
    for (const DeviceInfo& device : state_->devices()) {
      DeviceScope scope(device.index);
      auto d = std::make_shared<DeviceDataset>();
      d->device = device.index;
      d->rows = data->rows;
      d->features = data->features;
      d->classes = static_cast<int>(data->num_classes());
      d->x = DeviceBuffer<float>(data->x.size());
      d->y = DeviceBuffer<int>(data->y.size());
      EEGSWEEP_CUDA_CHECK(cudaMemcpy(d->x.data(), data->x.data(), d->x.bytes(), cudaMemcpyHostToDevice));
      EEGSWEEP_CUDA_CHECK(cudaMemcpy(d->y.data(), data->y.data(), d->y.bytes(), cudaMemcpyHostToDevice));
      // cudaMemcpy from pageable memory returns once the data is staged, before the DMA to the
      // device has finished, and it runs on the default stream, which the trainers' non-blocking
      // streams do not wait for: without this a trainer's first gather could read a partly
      // uploaded dataset.
      EEGSWEEP_CUDA_CHECK(cudaStreamSynchronize(nullptr));
      uploaded.push_back(std::move(d));
    }
    state_->set_datasets(std::move(uploaded));
    host_data_ = std::move(data);
  }

  std::unique_ptr<Trainer> create_trainer(const ModelConfig& model, const TrainConfig& train,
                                          const FoldData& fold) override {
    check_shapes(model, train, fold);
    const int device = state_->choose_device();
    AdmissionGate& gate = state_->gate(device);
    struct ChoiceGuard {
      AdmissionGate& gate;
      ~ChoiceGuard() { gate.finish_choice(); }
    } guard{gate};

    const DeviceInfo& info = state_->devices()[static_cast<std::size_t>(device)];
    const std::string key = rnn_shape_key(info, model, train.batch_size, train.tf32);
    const std::optional<RnnAlgorithm> known = state_->cached_algorithm(key);
    const std::vector<RnnAlgorithm> candidates =
        known ? std::vector<RnnAlgorithm>{*known}
              : algorithm_candidates(model.hidden_size, info.compute_major);
    auto new_setup = [&] {
      return make_rnn_setup(state_->lend_handles(device), info, model, train.batch_size,
                            train.tf32, candidates, known.has_value());
    };
    std::optional<RnnSetup> setup = new_setup();

    TrainerShape shape;
    shape.model = model;
    shape.batch_size = train.batch_size;
    shape.dropout = train.dropout;
    shape.train_rows = fold.train_rows.size();
    shape.eval_rows = host_data_->rows;
    shape.features = host_data_->features;
    const std::size_t estimate = estimate_trainer_memory(shape, setup->sizes).total();

    auto data = state_->dataset(device);
    // Allocation and the algorithm probe run outside every lock (admission_gate.h).
    std::unique_ptr<CudnnTrainer> trainer = admit(gate, estimate, [&] {
      // A failed attempt consumed the setup (the trainer owned it); a retry builds a new one.
      if (!setup) setup = new_setup();
      RnnSetup owned = std::move(*setup);
      setup.reset();
      DeviceScope scope(device);
      return std::make_unique<CudnnTrainer>(state_, std::move(owned), data, model, train, fold, key);
    });
    trainer->arm_ticket(state_, device);
    if (!known) state_->cache_algorithm(key, trainer->algorithm());
    return trainer;
  }

 private:
  void check_shapes(const ModelConfig& model, const TrainConfig& train, const FoldData& fold) const {
    if (!host_data_) throw std::logic_error("cuDNN backend: create_trainer before set_dataset");
    const Dataset& data = *host_data_;
    if (model.timesteps <= 0 || model.input_size <= 0 || model.hidden_size <= 0 ||
        model.num_layers <= 0 || model.num_classes <= 0 || train.batch_size <= 0) {
      throw std::invalid_argument("cuDNN backend: model and batch sizes must be positive");
    }
    if (static_cast<std::size_t>(model.timesteps) * static_cast<std::size_t>(model.input_size) !=
        data.features) {
      throw std::invalid_argument("cuDNN backend: timesteps " + std::to_string(model.timesteps) +
                                  " × input_size " + std::to_string(model.input_size) +
                                  " does not match the dataset's " + std::to_string(data.features) +
                                  " features");
    }
    if (static_cast<std::size_t>(model.num_classes) < data.num_classes()) {
      throw std::invalid_argument("cuDNN backend: the model has " + std::to_string(model.num_classes) +
                                  " classes, the dataset " + std::to_string(data.num_classes()));
    }
    // Labels index the logits and the confusion matrix on the device; dropout scales by
    // 1 / (1 − rate). Both are checked here, as the CPU trainer does, before any kernel runs.
    check_labels(data.y, model.num_classes, data.source);
    check_dropout(train.dropout);
    for (const RowList* rows : {&fold.train_rows, &fold.val_rows}) {
      for (RowIndex r : *rows) {
        if (r >= data.rows) {
          throw std::out_of_range("cuDNN backend: row " + std::to_string(r) + " beyond the dataset's " +
                                  std::to_string(data.rows) + " rows");
        }
      }
    }
  }

  std::shared_ptr<BackendState> state_;
  std::shared_ptr<const Dataset> host_data_;
};

}  // namespace
}  // namespace cuda

bool cuda_usable(std::string* why) {
  int count = 0;
  const cudaError_t error = cudaGetDeviceCount(&count);
  if (error != cudaSuccess) {
    (void)cudaGetLastError();
    if (why) {
      *why = std::string("no usable CUDA device: cudaGetDeviceCount: ") + cudaGetErrorString(error);
    }
    return false;
  }
  if (count == 0) {
    if (why) *why = "no CUDA device: cudaGetDeviceCount found 0 devices";
    return false;
  }
  const std::size_t version = cudnnGetVersion();
  if (version < 90000) {
    if (why) *why = "cuDNN " + std::to_string(version) + " is older than 9.0";
    return false;
  }
  if (why) why->clear();
  return true;
}

std::unique_ptr<Backend> make_cuda_backend() {
  std::string why;
  if (!cuda_usable(&why)) throw std::runtime_error(why);
  return std::make_unique<cuda::CudnnBackend>();
}

}  // namespace eegsweep
