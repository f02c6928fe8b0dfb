#pragma once
// Admission of trainers to one GPU (pure host code, no CUDA header, so that the protocol is
// tested without a GPU). One gate per device, each with its own lock, held only while memory is
// read and the decision is booked: a trainer allocates its buffers, runs its algorithm probe
// and frees them without holding any lock, so one GPU's fold boundaries never stall another's.
//
// Protocol (admit() below): wait until the estimate fits (planning.h admission(), with the
// estimates of trainers still allocating subtracted from the free memory), reserve it, allocate
// outside the lock, then turn the reservation into an active trainer. Only OutOfDeviceMemory
// from the allocation is retried, after another trainer of ours has been released, and only
// while there is one to wait for; every other failure propagates at once.

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <utility>

#include "cuda/failures.h"
#include "cuda/planning.h"

namespace eegsweep::cuda {

// Free and total bytes as the device reports them (cudaMemGetInfo, plus memory our stream-
// ordered pool holds but does not use).
struct MemoryReading {
  std::size_t free_bytes = 0;
  std::size_t total_bytes = 0;
};

class AdmissionGate {
 public:
  AdmissionGate(int device, std::function<MemoryReading()> read_memory);
  AdmissionGate(const AdmissionGate&) = delete;
  AdmissionGate& operator=(const AdmissionGate&) = delete;

  // Free memory net of reservations, and active trainers plus creators still choosing: what
  // least_loaded_device() compares.
  DeviceLoad snapshot() const;
  void begin_choice();
  void finish_choice();

  // Blocks until `estimate` fits and reserves it; returns the count of releases so far (for
  // wait_for_release). Throws OutOfDeviceMemory when it never can fit (admission() says never).
  unsigned long long reserve(std::size_t estimate);
  // The reservation became an active trainer (its memory is now visible as used).
  void activate(std::size_t estimate);
  // The allocation failed: drops the reservation. Returns whether a trainer of ours is active
  // (so that waiting for a release can help).
  bool cancel(std::size_t estimate);
  // Blocks until a trainer was released after `seen` (a reserve()'s return value), or none is
  // left to wait for.
  void wait_for_release(unsigned long long seen);
  // An active trainer is gone: its memory is free again.
  void release();

  int active() const;
  int waiters() const;  // threads blocked in reserve() or wait_for_release()

 private:
  DeviceLoad load_locked() const;

  int device_;
  std::function<MemoryReading()> read_memory_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int active_ = 0;
  int choosing_ = 0;
  int waiters_ = 0;
  std::size_t reserved_ = 0;
  unsigned long long changes_ = 0;   // any change of the accounting: reserve() re-decides
  unsigned long long releases_ = 0;  // trainers released: memory really came free
};

// Runs allocate() once the estimate is admitted; see the protocol above.
template <typename Allocate>
auto admit(AdmissionGate& gate, std::size_t estimate, Allocate&& allocate) {
  for (;;) {
    const unsigned long long seen = gate.reserve(estimate);
    try {
      auto result = allocate();
      gate.activate(estimate);
      return result;
    } catch (const OutOfDeviceMemory&) {
      // Someone else (another process, cuDNN's own allocations) took the memory meanwhile.
      if (!gate.cancel(estimate)) throw;
    } catch (...) {
      gate.cancel(estimate);
      throw;
    }
    gate.wait_for_release(seen);
  }
}

}  // namespace eegsweep::cuda
