// The admission protocol of one GPU (admission_gate.h) without a GPU: memory readings are
// supplied by the test. A trainer is admitted when its estimate plus the margin fits into the
// free memory net of other reservations; only OutOfDeviceMemory from the allocation is retried,
// after a release; any other failure propagates at once. Threads that must block are observed
// through waiters() (spinning until the state is reached, never sleeping for a guessed time).

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>

#include "cuda/admission_gate.h"

namespace eegsweep::cuda {
namespace {

constexpr std::size_t gib = std::size_t{1} << 30;

// A device with `free` bytes free out of 80 GiB, as the test sets it.
struct FakeDevice {
  std::atomic<std::size_t> free{8 * gib};
  AdmissionGate gate{0, [this] { return MemoryReading{free.load(), 80 * gib}; }};
};

void wait_until_waiting(const AdmissionGate& gate, int waiters) {
  while (gate.waiters() < waiters) std::this_thread::yield();
}

TEST(AdmissionGate, AdmitsWhatFitsAndCountsTheTrainer) {
  FakeDevice device;
  const int result = admit(device.gate, gib, [] { return 42; });
  EXPECT_EQ(result, 42);
  EXPECT_EQ(device.gate.active(), 1);
  device.gate.release();
  EXPECT_EQ(device.gate.active(), 0);
}

TEST(AdmissionGate, ReservationsCountAgainstTheFreeMemory) {
  FakeDevice device;  // 8 GiB free
  device.gate.reserve(6 * gib);
  // 8 − 6 = 2 GiB left net of the reservation: 1.5 GiB + 256 MiB margin fits, 2 GiB does not.
  EXPECT_EQ(device.gate.snapshot().free_bytes, 2 * gib);
  device.gate.reserve(gib + gib / 2);
  EXPECT_EQ(device.gate.snapshot().free_bytes, gib / 2);
  device.gate.cancel(gib + gib / 2);
  device.gate.cancel(6 * gib);
  EXPECT_EQ(device.gate.snapshot().free_bytes, 8 * gib);
}

TEST(AdmissionGate, NeverFitsIsOutOfDeviceMemoryNamingTheDevice) {
  FakeDevice device;
  try {
    admit(device.gate, 100 * gib, [] { return 0; });  // larger than the 80 GiB GPU
    FAIL() << "expected OutOfDeviceMemory";
  } catch (const OutOfDeviceMemory& e) {
    EXPECT_NE(std::string(e.what()).find("cuda:0"), std::string::npos) << e.what();
  }
  EXPECT_EQ(device.gate.snapshot().free_bytes, 8 * gib);  // nothing stays reserved
}

TEST(AdmissionGate, OtherFailuresPropagateAtOnceWithoutWaiting) {
  FakeDevice device;
  device.gate.reserve(gib);
  device.gate.activate(gib);  // one trainer active: an OOM would wait for it
  int attempts = 0;
  EXPECT_THROW(admit(device.gate, gib,
                     [&]() -> int {
                       ++attempts;
                       throw TrainingError("cuDNN supports no GRU algorithm");
                     }),
               TrainingError);
  EXPECT_EQ(attempts, 1);
  EXPECT_THROW(admit(device.gate, gib,
                     [&]() -> int {
                       ++attempts;
                       throw std::runtime_error("CUDA error: illegal address");
                     }),
               std::runtime_error);
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(device.gate.active(), 1);
  EXPECT_EQ(device.gate.snapshot().free_bytes, 8 * gib);
}

TEST(AdmissionGate, OutOfMemoryWithNothingToWaitForPropagates) {
  FakeDevice device;
  int attempts = 0;
  EXPECT_THROW(admit(device.gate, gib,
                     [&]() -> int {
                       ++attempts;
                       throw OutOfDeviceMemory("out of GPU memory: cudaMallocFromPoolAsync");
                     }),
               OutOfDeviceMemory);
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(device.gate.active(), 0);
}

TEST(AdmissionGate, OutOfMemoryRetriesAfterAnotherTrainerIsReleased) {
  FakeDevice device;
  device.gate.reserve(gib);
  device.gate.activate(gib);  // the trainer that will be released
  std::atomic<int> attempts{0};
  int result = 0;
  std::thread creator([&] {
    result = admit(device.gate, gib, [&] {
      // The first attempt finds the memory taken by someone else (e.g. another process).
      if (attempts.fetch_add(1) == 0) throw OutOfDeviceMemory("out of GPU memory");
      return 7;
    });
  });
  wait_until_waiting(device.gate, 1);
  EXPECT_EQ(attempts.load(), 1);  // blocked after the first failure, not spinning
  device.gate.release();
  creator.join();
  EXPECT_EQ(result, 7);
  EXPECT_EQ(attempts.load(), 2);
  EXPECT_EQ(device.gate.active(), 1);
}

TEST(AdmissionGate, WaitsForMemoryWhileATrainerOfOursHoldsIt) {
  FakeDevice device;
  device.free = gib;  // 1 GiB free: a 2 GiB trainer must wait
  device.gate.reserve(gib / 2);
  device.gate.activate(gib / 2);
  bool admitted = false;
  std::thread creator([&] { admitted = admit(device.gate, 2 * gib, [] { return true; }); });
  wait_until_waiting(device.gate, 1);
  EXPECT_FALSE(admitted);
  device.free = 8 * gib;  // the active trainer's memory comes free with its release
  device.gate.release();
  creator.join();
  EXPECT_TRUE(admitted);
}

TEST(AdmissionGate, ChoosingCountsAsLoad) {
  FakeDevice device;
  device.gate.begin_choice();
  EXPECT_EQ(device.gate.snapshot().active_trainers, 1);
  device.gate.finish_choice();
  EXPECT_EQ(device.gate.snapshot().active_trainers, 0);
  EXPECT_EQ(device.gate.snapshot().free_bytes, 8 * gib);
}

}  // namespace
}  // namespace eegsweep::cuda
