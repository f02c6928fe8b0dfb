#pragma once
// What the cuDNN backend shares with its trainers, and what outlives the backend object as long
// as a trainer does: the dataset resident on each GPU, and per GPU its admission gate
// (admission_gate.h: its own lock, held only to read memory and book the decision), its
// stream-ordered memory pool and its pool of idle stream/cuDNN/cuBLAS handle sets; plus the
// per-shape cache of the RNN algorithm that works.

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cuda/admission_gate.h"
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

class BackendState;

// A handle set lent to one trainer; given back to its device's pool on destruction, after the
// work queued on its stream (the trainer's last stream-ordered frees) has run.
class HandleLease {
 public:
  HandleLease() = default;
  HandleLease(std::shared_ptr<BackendState> state, std::unique_ptr<HandleSet> set)
      : state_(std::move(state)), set_(std::move(set)) {}
  ~HandleLease();
  HandleLease(HandleLease&&) noexcept = default;
  HandleLease& operator=(HandleLease&& other) noexcept;
  HandleLease(const HandleLease&) = delete;
  HandleLease& operator=(const HandleLease&) = delete;

  explicit operator bool() const { return set_ != nullptr; }
  HandleSet& operator*() const { return *set_; }
  HandleSet* operator->() const { return set_.get(); }

 private:
  void give_back() noexcept;

  std::shared_ptr<BackendState> state_;
  std::unique_ptr<HandleSet> set_;
};

class BackendState : public std::enable_shared_from_this<BackendState> {
 public:
  // Creates each device's gate and memory pool (null where the device has no memory pools).
  explicit BackendState(std::vector<DeviceInfo> devices);
  ~BackendState();  // destroys the idle handle sets and the pools, each on its own device
  BackendState(const BackendState&) = delete;
  BackendState& operator=(const BackendState&) = delete;

  const std::vector<DeviceInfo>& devices() const { return devices_; }

  void set_datasets(std::vector<std::shared_ptr<const DeviceDataset>> datasets);
  std::shared_ptr<const DeviceDataset> dataset(int device) const;

  std::optional<RnnAlgorithm> cached_algorithm(const std::string& shape_key) const;
  void cache_algorithm(const std::string& shape_key, RnnAlgorithm algorithm);

  // The device a new trainer goes to (planning.h least_loaded_device); counted as choosing on
  // it until gate(device).finish_choice().
  int choose_device();
  AdmissionGate& gate(int device) const;
  cudaMemPool_t memory_pool(int device) const;

  // An idle handle set of `device`, or a new one.
  HandleLease lend_handles(int device);

 private:
  friend class HandleLease;
  void take_back(std::unique_ptr<HandleSet> set);

  struct DeviceSlot {
    std::unique_ptr<AdmissionGate> gate;
    cudaMemPool_t pool = nullptr;
    std::mutex idle_mutex;
    std::vector<std::unique_ptr<HandleSet>> idle;
  };

  std::vector<DeviceInfo> devices_;
  std::vector<std::unique_ptr<DeviceSlot>> slots_;
  mutable std::mutex mutex_;  // datasets_ and algorithms_ only
  std::vector<std::shared_ptr<const DeviceDataset>> datasets_;
  std::map<std::string, RnnAlgorithm> algorithms_;
};

}  // namespace eegsweep::cuda
