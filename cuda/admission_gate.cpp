// Pure host code (no CUDA header): also compiled into the stub library so that its tests run
// on every machine.
#include "cuda/admission_gate.h"

#include <string>

namespace eegsweep::cuda {

AdmissionGate::AdmissionGate(int device, std::function<MemoryReading()> read_memory)
    : device_(device), read_memory_(std::move(read_memory)) {}

DeviceLoad AdmissionGate::load_locked() const {
  const MemoryReading reading = read_memory_();
  DeviceLoad load;
  load.free_bytes = reading.free_bytes > reserved_ ? reading.free_bytes - reserved_ : 0;
  load.total_bytes = reading.total_bytes;
  load.active_trainers = active_;
  return load;
}

DeviceLoad AdmissionGate::snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  DeviceLoad load = load_locked();
  load.active_trainers += choosing_;
  return load;
}

void AdmissionGate::begin_choice() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++choosing_;
}

void AdmissionGate::finish_choice() {
  std::lock_guard<std::mutex> lock(mutex_);
  --choosing_;
}

unsigned long long AdmissionGate::reserve(std::size_t estimate) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    DeviceLoad now = load_locked();
    // Trainers still allocating will be active soon: they are worth waiting for too.
    if (reserved_ > 0) now.active_trainers += 1;
    const Admission decision = admission(estimate, now);
    if (decision == Admission::admit) {
      reserved_ += estimate;
      return releases_;
    }
    if (decision == Admission::never) {
      throw OutOfDeviceMemory(
          "out of GPU memory: the trainer needs about " + format_bytes(estimate) + " (+" +
          format_bytes(admission_margin_bytes) + " margin) on cuda:" + std::to_string(device_) +
          ", which has " + format_bytes(now.free_bytes) + " free of " +
          format_bytes(now.total_bytes) +
          (now.active_trainers > 0 ? "" : " and no trainer of ours to wait for"));
    }
    const unsigned long long seen = changes_;
    ++waiters_;
    changed_.wait(lock, [&] { return changes_ != seen; });
    --waiters_;
  }
}

void AdmissionGate::activate(std::size_t estimate) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reserved_ -= estimate;
    ++active_;
    ++changes_;  // the reservation's memory is now counted by the reading instead
  }
  changed_.notify_all();
}

bool AdmissionGate::cancel(std::size_t estimate) {
  bool can_wait = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reserved_ -= estimate;
    ++changes_;
    can_wait = active_ > 0;
  }
  changed_.notify_all();
  return can_wait;
}

void AdmissionGate::wait_for_release(unsigned long long seen) {
  std::unique_lock<std::mutex> lock(mutex_);
  ++waiters_;
  changed_.wait(lock, [&] { return releases_ != seen || active_ == 0; });
  --waiters_;
}

void AdmissionGate::release() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --active_;
    ++changes_;
    ++releases_;
  }
  changed_.notify_all();
}

int AdmissionGate::active() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return active_;
}

int AdmissionGate::waiters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiters_;
}

}  // namespace eegsweep::cuda
