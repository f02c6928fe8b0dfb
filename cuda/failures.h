#pragma once
// What a failed CUDA/cuDNN call means for the sweep, decided from the status code alone (pure
// host code, no CUDA header, so that it is tested on machines without a GPU):
//   - out of device memory: OutOfDeviceMemory, the one failure admission waits and retries on;
//   - cuDNN refusing the model's shape or parameters: the next RNN algorithm is tried, and a
//     TrainingError (failed trial) when every one refuses;
//   - anything else (a broken installation, a bad launch, our own bug) is reported as what it is.
// Also the host-side checks that keep bad input away from the kernels.

#include <cstddef>
#include <string>
#include <vector>

#include "engine/model/backend.h"

namespace eegsweep::cuda {

// A trainer's allocations did not fit on its GPU. Still a TrainingError (the scheduler records
// the trial as failed and goes on), but the only one BackendState::admit() retries after other
// trainers free their memory.
class OutOfDeviceMemory : public TrainingError {
 public:
  using TrainingError::TrainingError;
};

enum class CudnnFailure {
  refusal,               // this shape/parameter set is outside what the algorithm supports
  out_of_device_memory,  // INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED
  out_of_host_memory,    // INTERNAL_ERROR_HOST_ALLOCATION_FAILED
  error,                 // everything else, including a missing or mismatched cuDNN library
};

// cuDNN 9 status codes (cudnn_graph.h; check.cpp asserts that they match the header).
namespace cudnn_status {
constexpr int bad_param = 2000;
constexpr int bad_param_null_pointer = 2002;
constexpr int bad_param_out_of_bound = 2005;
constexpr int bad_param_shape_mismatch = 2008;
constexpr int not_supported = 3000;
constexpr int not_supported_shape = 3002;
constexpr int not_supported_incompatible_cuda_driver = 3005;
constexpr int not_supported_sublibrary_unavailable = 3009;
constexpr int not_supported_shared_memory_insufficient = 3010;
constexpr int internal_error = 4000;
constexpr int internal_error_host_allocation_failed = 4003;
constexpr int internal_error_device_allocation_failed = 4004;
constexpr int execution_failed = 5000;
}  // namespace cudnn_status

CudnnFailure classify_cudnn_status(int status);

// CUDA runtime: cudaErrorMemoryAllocation (2) is the only out-of-memory code.
constexpr int cuda_error_memory_allocation = 2;
inline bool is_out_of_device_memory(int cuda_error) {
  return cuda_error == cuda_error_memory_allocation;
}

// "9.19.0" from cudnnGetVersion()'s 91900 (cuDNN 9: major·10000 + minor·100 + patch; cuDNN 8
// and older: major·1000 + minor·100 + patch).
std::string format_cudnn_version(std::size_t version);

// The kernels index logits and the confusion matrix by label: a label outside [0, classes)
// would write outside device buffers. Throws std::invalid_argument naming the first bad row.
void check_labels(const std::vector<int>& labels, int classes, const std::string& source);

// Dropout keeps an element with probability 1 − rate and scales it by 1 / (1 − rate).
void check_dropout(double rate);

}  // namespace eegsweep::cuda
