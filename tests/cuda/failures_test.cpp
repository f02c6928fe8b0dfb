// The cuDNN backend's reading of failures and its input checks, without a GPU: which cuDNN
// statuses are a refusal of the model's shape (try the next algorithm, then fail the trial),
// which are out of memory (admission may wait and retry), which are errors to report as they
// are; the version string; label and dropout checks that keep bad input away from the kernels.
// Status codes are cuDNN 9's as cudnn_graph.h lists them (written out here, not taken from the
// code under test).

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "cuda/failures.h"

namespace eegsweep::cuda {
namespace {

TEST(CudnnFailureKind, ShapeAndParameterRejectionsAreRefusals) {
  for (int status : {3000 /* NOT_SUPPORTED */, 3002 /* _SHAPE */, 3003 /* _DATA_TYPE */,
                     3004 /* _LAYOUT */, 3010 /* _SHARED_MEMORY_INSUFFICIENT */,
                     3012 /* _BAD_LAUNCH_PARAM */, 2000 /* BAD_PARAM */,
                     2005 /* BAD_PARAM_OUT_OF_BOUND */, 2008 /* BAD_PARAM_SHAPE_MISMATCH */}) {
    EXPECT_EQ(classify_cudnn_status(status), CudnnFailure::refusal) << status;
  }
}

TEST(CudnnFailureKind, BrokenInstallationIsNoRefusal) {
  // Every shape would fail the same way: reported as what it is, not as "the model is too big".
  for (int status : {3005 /* INCOMPATIBLE_CUDA_DRIVER */, 3006 /* INCOMPATIBLE_CUDART */,
                     3007 /* ARCH_MISMATCH */, 3008 /* RUNTIME_PREREQUISITE_MISSING */,
                     3009 /* SUBLIBRARY_UNAVAILABLE */, 1001 /* NOT_INITIALIZED */,
                     1002 /* SUBLIBRARY_VERSION_MISMATCH */, 1008 /* SUBLIBRARY_LOADING_FAILED */}) {
    EXPECT_EQ(classify_cudnn_status(status), CudnnFailure::error) << status;
  }
}

TEST(CudnnFailureKind, OurBugsAndExecutionFailuresAreErrors) {
  for (int status : {2002 /* BAD_PARAM_NULL_POINTER */, 2003 /* MISALIGNED_POINTER */,
                     2006 /* SIZE_INSUFFICIENT */, 2007 /* STREAM_MISMATCH */,
                     4000 /* INTERNAL_ERROR */, 4005 /* INTERNAL_ERROR_BAD_LAUNCH_PARAM */,
                     5000 /* EXECUTION_FAILED */, 5002 /* EXECUTION_FAILED_CUBLAS */}) {
    EXPECT_EQ(classify_cudnn_status(status), CudnnFailure::error) << status;
  }
}

TEST(CudnnFailureKind, AllocationFailuresAreOutOfMemory) {
  EXPECT_EQ(classify_cudnn_status(4004), CudnnFailure::out_of_device_memory);
  EXPECT_EQ(classify_cudnn_status(4003), CudnnFailure::out_of_host_memory);
  EXPECT_TRUE(is_out_of_device_memory(2));  // cudaErrorMemoryAllocation
  EXPECT_FALSE(is_out_of_device_memory(1));  // cudaErrorInvalidValue
  EXPECT_FALSE(is_out_of_device_memory(700));  // cudaErrorIllegalAddress
}

TEST(CudnnFailureKind, OutOfDeviceMemoryIsATrainingError) {
  // The scheduler records a TrainingError as a failed trial and goes on.
  try {
    throw OutOfDeviceMemory("out of GPU memory: test");
  } catch (const TrainingError& e) {
    EXPECT_EQ(std::string(e.what()), "out of GPU memory: test");
  }
}

TEST(CudnnVersion, FormatsCudnn9AndCudnn8Numbers) {
  EXPECT_EQ(format_cudnn_version(91900), "9.19.0");  // cudnnGetVersion() of cuDNN 9.19.0
  EXPECT_EQ(format_cudnn_version(90100), "9.1.0");
  EXPECT_EQ(format_cudnn_version(90501), "9.5.1");
  EXPECT_EQ(format_cudnn_version(100200), "10.2.0");
  EXPECT_EQ(format_cudnn_version(8906), "8.9.6");  // cuDNN 8: major·1000 + minor·100 + patch
}

TEST(LabelCheck, AcceptsLabelsInsideTheModelsClasses) {
  EXPECT_NO_THROW(check_labels({0, 2, 1, 2, 0}, 3, "t.csv"));
  EXPECT_NO_THROW(check_labels({}, 3, "empty.csv"));
}

TEST(LabelCheck, NamesTheFirstRowOutsideTheRange) {
  try {
    check_labels({0, 1, 3, 2, -1}, 3, "emotions.csv");
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("row 2"), std::string::npos) << what;
    EXPECT_NE(what.find("emotions.csv"), std::string::npos) << what;
    EXPECT_NE(what.find("class 3"), std::string::npos) << what;
    EXPECT_NE(what.find("3 classes"), std::string::npos) << what;
  }
  EXPECT_THROW(check_labels({0, -1}, 2, "negative.csv"), std::invalid_argument);
}

TEST(DropoutCheck, AcceptsZeroUpToButExcludingOne) {
  EXPECT_NO_THROW(check_dropout(0.0));
  EXPECT_NO_THROW(check_dropout(0.5));
  EXPECT_NO_THROW(check_dropout(0.999));
  EXPECT_THROW(check_dropout(1.0), std::invalid_argument);
  EXPECT_THROW(check_dropout(-0.1), std::invalid_argument);
  EXPECT_THROW(check_dropout(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EXPECT_THROW(check_dropout(std::numeric_limits<double>::infinity()), std::invalid_argument);
}

}  // namespace
}  // namespace eegsweep::cuda
