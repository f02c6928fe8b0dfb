#include "cuda/check.h"

#include <string>

#include "cuda/failures.h"

namespace eegsweep::cuda {

// failures.h decides from these codes without including the CUDA headers.
static_assert(cuda_error_memory_allocation == cudaErrorMemoryAllocation);
static_assert(cudnn_status::bad_param == CUDNN_STATUS_BAD_PARAM);
static_assert(cudnn_status::bad_param_null_pointer == CUDNN_STATUS_BAD_PARAM_NULL_POINTER);
static_assert(cudnn_status::bad_param_out_of_bound == CUDNN_STATUS_BAD_PARAM_OUT_OF_BOUND);
static_assert(cudnn_status::bad_param_shape_mismatch == CUDNN_STATUS_BAD_PARAM_SHAPE_MISMATCH);
static_assert(cudnn_status::not_supported == CUDNN_STATUS_NOT_SUPPORTED);
static_assert(cudnn_status::not_supported_shape == CUDNN_STATUS_NOT_SUPPORTED_SHAPE);
static_assert(cudnn_status::not_supported_incompatible_cuda_driver ==
              CUDNN_STATUS_NOT_SUPPORTED_INCOMPATIBLE_CUDA_DRIVER);
static_assert(cudnn_status::not_supported_sublibrary_unavailable ==
              CUDNN_STATUS_NOT_SUPPORTED_SUBLIBRARY_UNAVAILABLE);
static_assert(cudnn_status::not_supported_shared_memory_insufficient ==
              CUDNN_STATUS_NOT_SUPPORTED_SHARED_MEMORY_INSUFFICIENT);
static_assert(cudnn_status::internal_error == CUDNN_STATUS_INTERNAL_ERROR);
static_assert(cudnn_status::internal_error_host_allocation_failed ==
              CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED);
static_assert(cudnn_status::internal_error_device_allocation_failed ==
              CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED);
static_assert(cudnn_status::execution_failed == CUDNN_STATUS_EXECUTION_FAILED);

namespace {

std::string where(const char* expression, const char* file, int line) {
  return std::string(expression) + " at " + file + ":" + std::to_string(line);
}

}  // namespace

void throw_cuda_error(cudaError_t error, const char* expression, const char* file, int line) {
  // Clears the error if it is not sticky, so that the next trial on this device starts clean.
  (void)cudaGetLastError();
  const std::string message = where(expression, file, line) + ": " + cudaGetErrorName(error) +
                              " (" + cudaGetErrorString(error) + ")";
  if (is_out_of_device_memory(error)) throw OutOfDeviceMemory("out of GPU memory: " + message);
  throw std::runtime_error("CUDA error: " + message);
}

void throw_cudnn_error(cudnnStatus_t status, const char* expression, const char* file, int line) {
  // cuDNN 9 keeps a more specific message than the status string; it is per thread.
  char detail[512] = {0};
  cudnnGetLastErrorString(detail, sizeof detail);
  std::string message = where(expression, file, line) + ": " + cudnnGetErrorString(status);
  if (detail[0] != '\0') message += std::string(" (") + detail + ")";
  switch (classify_cudnn_status(status)) {
    case CudnnFailure::out_of_device_memory: throw OutOfDeviceMemory("out of GPU memory: " + message);
    case CudnnFailure::out_of_host_memory: throw TrainingError("out of host memory: " + message);
    case CudnnFailure::refusal:
    case CudnnFailure::error: break;
  }
  throw CudnnError(status, "cuDNN error: " + message);
}

void throw_cublas_error(cublasStatus_t status, const char* expression, const char* file,
                        int line) {
  const std::string message = where(expression, file, line) + ": " + cublasGetStatusName(status) +
                              " (" + cublasGetStatusString(status) + ")";
  if (status == CUBLAS_STATUS_ALLOC_FAILED) throw OutOfDeviceMemory("out of GPU memory: " + message);
  throw std::runtime_error("cuBLAS error: " + message);
}

}  // namespace eegsweep::cuda
