#pragma once
// What the cuDNN backend shares with its trainers, and what outlives the backend object as long
// as a trainer does: the dataset resident on each GPU, the admission bookkeeping (how many
// trainers each GPU holds; a condition variable to wake creators waiting for memory) and the
// per-shape cache of the RNN algorithm that works.

#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cuda/planning.h"
#include "cuda/raii.h"

namespace eegsweep::cuda {

// The dataset uploaded once per device: features [rows, F] row-major, one label per row.
struct DeviceDataset {
  DeviceDataset() = default;
  DeviceDataset(const DeviceDataset&) = delete;
  DeviceDataset& operator=(const DeviceDataset&) = delete;
  // Trainers may hold the dataset longer than the backend: free it on its own device.
  ~DeviceDataset() { (void)cudaSetDevice(device); }

  int device = 0;
  std::size_t rows = 0;
  std::size_t features = 0;
  int classes = 0;
  DeviceBuffer<float> x;
  DeviceBuffer<int> y;
};

struct DeviceInfo {
  int index = 0;
  std::string name;
  int compute_major = 0;
  int compute_minor = 0;
  std::size_t total_bytes = 0;
};

class BackendState {
 public:
  explicit BackendState(std::vector<DeviceInfo> devices);
  ~BackendState();

  const std::vector<DeviceInfo>& devices() const { return devices_; }

  void set_datasets(std::vector<std::shared_ptr<const DeviceDataset>> datasets);
  std::shared_ptr<const DeviceDataset> dataset(int device) const;

  std::optional<RnnAlgorithm> cached_algorithm(const std::string& shape_key) const;
  void cache_algorithm(const std::string& shape_key, RnnAlgorithm algorithm);

  // Admission (see planning.h admission()): the caller picks a device, builds its cuDNN setup,
  // then admits under the lock; `allocate` runs under the lock so that cudaMemGetInfo sees every
  // earlier trainer's buffers. An out-of-memory TrainingError from `allocate` waits as well
  // while other trainers of ours can free memory.
  int choose_device();
  void finish_choice(int device);  // undoes choose_device's provisional count
  template <typename Allocate>
  auto admit(int device, std::size_t estimate, Allocate&& allocate);
  void release(int device);  // a trainer is gone: its memory is free again

 private:
  DeviceLoad load(int device) const;  // under mutex_
  [[noreturn]] void throw_never_fits(int device, std::size_t estimate, const DeviceLoad& load) const;

  std::vector<DeviceInfo> devices_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<int> active_;
  std::vector<int> choosing_;
  std::vector<std::shared_ptr<const DeviceDataset>> datasets_;
  std::map<std::string, RnnAlgorithm> algorithms_;
};

template <typename Allocate>
auto BackendState::admit(int device, std::size_t estimate, Allocate&& allocate) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    const DeviceLoad now = load(device);
    const Admission decision = admission(estimate, now);
    if (decision == Admission::never) throw_never_fits(device, estimate, now);
    if (decision == Admission::admit) {
      try {
        auto result = allocate();
        ++active_[static_cast<std::size_t>(device)];
        return result;
      } catch (const TrainingError&) {
        // Someone else (another process, cuDNN's own allocations) took the memory meanwhile.
        if (active_[static_cast<std::size_t>(device)] == 0) throw;
      }
    }
    freed_.wait(lock);
  }
}

}  // namespace eegsweep::cuda
