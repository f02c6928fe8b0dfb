// Which backend a sweep's `device` gets, and that every choice says why. Without a usable GPU
// (this machine, CI) `auto` falls back to the CPU and `cuda` is a clear error; with one, the GPU
// side of each case is checked instead.
#include <gtest/gtest.h>

#include <stdexcept>

#include "cuda/cuda_backend.h"
#include "engine/sched/backend_choice.h"

namespace eegsweep {
namespace {

TEST(BackendChoice, CpuIsAlwaysTheCpu) {
  const BackendChoice choice = choose_backend("cpu", 3);
  EXPECT_EQ(choice.backend->concurrency(), 3);
  EXPECT_EQ(choice.reason.rfind("device cpu: cpu", 0), 0u) << choice.reason;
}

TEST(BackendChoice, AutoSaysWhatItChoseAndWhy) {
  std::string why;
  const bool gpu = cuda_usable(&why);
  const BackendChoice choice = choose_backend("auto", 2);
  if (gpu) {
    EXPECT_NE(choice.reason.find("using the GPU"), std::string::npos) << choice.reason;
  } else {
    EXPECT_NE(choice.reason.find("no usable GPU (" + why + "); using the CPU"), std::string::npos)
        << choice.reason;
    EXPECT_EQ(choice.backend->concurrency(), 2);
  }
}

TEST(BackendChoice, CudaWithoutAGpuIsAnErrorThatSaysWhy) {
  std::string why;
  if (cuda_usable(&why)) GTEST_SKIP() << "a GPU is usable here: the error case cannot happen";
  try {
    choose_backend("cuda");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no GPU is usable: " + why), std::string::npos) << e.what();
  }
}

TEST(BackendChoice, UnknownDeviceListsTheAllowedOnes) {
  try {
    choose_backend("tpu");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("allowed: auto, cpu, cuda"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace eegsweep
