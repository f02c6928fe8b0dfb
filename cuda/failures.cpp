// Pure host code (no CUDA header): also compiled into the stub library so that its tests run
// on every machine.
#include "cuda/failures.h"

#include <stdexcept>

namespace eegsweep::cuda {

CudnnFailure classify_cudnn_status(int status) {
  namespace s = cudnn_status;
  if (status == s::internal_error_device_allocation_failed) return CudnnFailure::out_of_device_memory;
  if (status == s::internal_error_host_allocation_failed) return CudnnFailure::out_of_host_memory;
  const int category = status / 1000 * 1000;
  if (category == s::not_supported) {
    // 3005..3009 say the driver, the CUDA runtime, the architecture or a cuDNN sub-library does
    // not fit this installation: every shape would fail the same way, so it is no refusal.
    const bool environment = status >= s::not_supported_incompatible_cuda_driver &&
                             status <= s::not_supported_sublibrary_unavailable;
    return environment ? CudnnFailure::error : CudnnFailure::refusal;
  }
  // A parameter cuDNN rejects for this model (a size beyond its limits, a shape it does not
  // take); null or misaligned pointers and the like are our bugs, not the model's.
  if (status == s::bad_param || status == s::bad_param_out_of_bound ||
      status == s::bad_param_shape_mismatch) {
    return CudnnFailure::refusal;
  }
  return CudnnFailure::error;
}

std::string format_cudnn_version(std::size_t version) {
  const bool nine_or_later = version >= 90000;
  const std::size_t major = nine_or_later ? version / 10000 : version / 1000;
  const std::size_t minor = nine_or_later ? (version % 10000) / 100 : (version % 1000) / 100;
  const std::size_t patch = version % 100;
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

void check_labels(const std::vector<int>& labels, int classes, const std::string& source) {
  for (std::size_t row = 0; row < labels.size(); ++row) {
    if (labels[row] < 0 || labels[row] >= classes) {
      throw std::invalid_argument("cuDNN backend: row " + std::to_string(row) + " of '" + source +
                                  "' has class " + std::to_string(labels[row]) +
                                  ", the model has " + std::to_string(classes) + " classes");
    }
  }
}

void check_dropout(double rate) {
  if (!(rate >= 0.0 && rate < 1.0)) {  // also rejects NaN
    throw std::invalid_argument("cuDNN backend: dropout must be in [0, 1), got " +
                                std::to_string(rate));
  }
}

}  // namespace eegsweep::cuda
