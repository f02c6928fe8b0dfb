// BackendState: per-device admission gates, memory pools and handle pools, the datasets and the
// algorithm cache (backend_state.h).
#include "cuda/backend_state.h"

#include <cstdint>
#include <limits>
#include <stdexcept>

namespace eegsweep::cuda {
namespace {

// A pool of our own per device that keeps what trainers give back (release threshold: never
// shrink), so that the next fold's trainer reuses the memory without asking the driver.
cudaMemPool_t create_memory_pool(int device) {
  int supported = 0;
  EEGSWEEP_CUDA_CHECK(cudaDeviceGetAttribute(&supported, cudaDevAttrMemoryPoolsSupported, device));
  if (!supported) return nullptr;
  cudaMemPoolProps props{};
  props.allocType = cudaMemAllocationTypePinned;
  props.location.type = cudaMemLocationTypeDevice;
  props.location.id = device;
  cudaMemPool_t pool = nullptr;
  EEGSWEEP_CUDA_CHECK(cudaMemPoolCreate(&pool, &props));
  std::uint64_t keep_everything = std::numeric_limits<std::uint64_t>::max();
  EEGSWEEP_CUDA_CHECK(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep_everything));
  return pool;
}

// What admission may still give out: the device's free memory plus what our pool holds unused.
MemoryReading read_memory(int device, cudaMemPool_t pool) {
  DeviceScope scope(device);
  MemoryReading reading;
  EEGSWEEP_CUDA_CHECK(cudaMemGetInfo(&reading.free_bytes, &reading.total_bytes));
  if (pool) {
    std::uint64_t reserved = 0, used = 0;
    EEGSWEEP_CUDA_CHECK(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrReservedMemCurrent, &reserved));
    EEGSWEEP_CUDA_CHECK(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrUsedMemCurrent, &used));
    if (reserved > used) reading.free_bytes += static_cast<std::size_t>(reserved - used);
  }
  return reading;
}

std::unique_ptr<HandleSet> create_handle_set(int device) {
  DeviceScope scope(device);
  auto set = std::make_unique<HandleSet>();
  set->device = device;
  set->stream = Stream::create();
  set->cudnn = CudnnHandle::create();
  EEGSWEEP_CUDNN_CHECK(cudnnSetStream(set->cudnn.get(), set->stream.get()));
  set->cublas = CublasHandle::create();
  EEGSWEEP_CUBLAS_CHECK(cublasSetStream(set->cublas.get(), set->stream.get()));
  // After cublasSetStream (which resets the workspace to cuBLAS's shared pool): a workspace of
  // our own keeps this set's GEMMs independent of every other trainer's.
  set->cublas_workspace = DeviceBuffer<unsigned char>(cublas_workspace_bytes);
  EEGSWEEP_CUBLAS_CHECK(cublasSetWorkspace(set->cublas.get(), set->cublas_workspace.data(),
                                           set->cublas_workspace.bytes()));
  return set;
}

// Destroys a handle set on its own device.
void destroy_handle_set(std::unique_ptr<HandleSet> set) noexcept {
  if (!set) return;
  (void)cudaSetDevice(set->device);
  set.reset();
}

}  // namespace

HandleLease::~HandleLease() { give_back(); }

HandleLease& HandleLease::operator=(HandleLease&& other) noexcept {
  if (this != &other) {
    give_back();
    state_ = std::move(other.state_);
    set_ = std::move(other.set_);
  }
  return *this;
}

void HandleLease::give_back() noexcept {
  if (!set_) return;
  if (state_) {
    state_->take_back(std::move(set_));
  } else {
    destroy_handle_set(std::move(set_));
  }
  state_.reset();
}

BackendState::BackendState(std::vector<DeviceInfo> devices) : devices_(std::move(devices)) {
  for (const DeviceInfo& device : devices_) {
    auto slot = std::make_unique<DeviceSlot>();
    slot->pool = create_memory_pool(device.index);
    const int index = device.index;
    cudaMemPool_t pool = slot->pool;
    slot->gate = std::make_unique<AdmissionGate>(index, [index, pool] { return read_memory(index, pool); });
    slots_.push_back(std::move(slot));
  }
}

BackendState::~BackendState() {
  for (std::size_t d = 0; d < slots_.size(); ++d) {
    DeviceSlot& slot = *slots_[d];
    for (auto& set : slot.idle) destroy_handle_set(std::move(set));
    slot.idle.clear();
    if (slot.pool) {
      (void)cudaSetDevice(devices_[d].index);
      (void)cudaMemPoolDestroy(slot.pool);
    }
  }
}

void BackendState::set_datasets(std::vector<std::shared_ptr<const DeviceDataset>> datasets) {
  std::lock_guard<std::mutex> lock(mutex_);
  datasets_ = std::move(datasets);
}

std::shared_ptr<const DeviceDataset> BackendState::dataset(int device) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (static_cast<std::size_t>(device) >= datasets_.size() || !datasets_[static_cast<std::size_t>(device)]) {
    throw std::logic_error("cuDNN backend: create_trainer before set_dataset");
  }
  return datasets_[static_cast<std::size_t>(device)];
}

std::optional<RnnAlgorithm> BackendState::cached_algorithm(const std::string& shape_key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = algorithms_.find(shape_key);
  if (found == algorithms_.end()) return std::nullopt;
  return found->second;
}

void BackendState::cache_algorithm(const std::string& shape_key, RnnAlgorithm algorithm) {
  std::lock_guard<std::mutex> lock(mutex_);
  algorithms_[shape_key] = algorithm;
}

int BackendState::choose_device() {
  std::vector<DeviceLoad> loads;
  for (const auto& slot : slots_) loads.push_back(slot->gate->snapshot());
  const int device = least_loaded_device(loads);
  gate(device).begin_choice();
  return device;
}

AdmissionGate& BackendState::gate(int device) const {
  return *slots_.at(static_cast<std::size_t>(device))->gate;
}

cudaMemPool_t BackendState::memory_pool(int device) const {
  return slots_.at(static_cast<std::size_t>(device))->pool;
}

HandleLease BackendState::lend_handles(int device) {
  DeviceSlot& slot = *slots_.at(static_cast<std::size_t>(device));
  std::unique_ptr<HandleSet> set;
  {
    std::lock_guard<std::mutex> lock(slot.idle_mutex);
    if (!slot.idle.empty()) {
      set = std::move(slot.idle.back());
      slot.idle.pop_back();
    }
  }
  if (!set) set = create_handle_set(device);  // outside the lock: it takes milliseconds
  return HandleLease(shared_from_this(), std::move(set));
}

void BackendState::take_back(std::unique_ptr<HandleSet> set) {
  // The trainer's last frees are queued on this stream: once it has drained, the memory is back
  // in the pool and the set is clean for the next trainer. A stream that reports an error is
  // not reused.
  (void)cudaSetDevice(set->device);
  if (cudaStreamSynchronize(set->stream.get()) != cudaSuccess) {
    (void)cudaGetLastError();
    destroy_handle_set(std::move(set));
    return;
  }
  DeviceSlot& slot = *slots_.at(static_cast<std::size_t>(set->device));
  std::lock_guard<std::mutex> lock(slot.idle_mutex);
  slot.idle.push_back(std::move(set));
}

}  // namespace eegsweep::cuda
