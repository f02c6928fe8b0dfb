#include "cuda/check.h"

#include <string>

namespace eegsweep::cuda {
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
  if (error == cudaErrorMemoryAllocation) throw TrainingError("out of GPU memory: " + message);
  throw std::runtime_error("CUDA error: " + message);
}

void throw_cudnn_error(cudnnStatus_t status, const char* expression, const char* file, int line) {
  // cuDNN 9 keeps a more specific message than the status string; it is per thread.
  char detail[512] = {0};
  cudnnGetLastErrorString(detail, sizeof detail);
  std::string message = where(expression, file, line) + ": " + cudnnGetErrorString(status);
  if (detail[0] != '\0') message += std::string(" (") + detail + ")";
  if (status == CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED ||
      status == CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED) {
    throw TrainingError("out of GPU memory: " + message);
  }
  throw CudnnError(status, "cuDNN error: " + message);
}

void throw_cublas_error(cublasStatus_t status, const char* expression, const char* file,
                        int line) {
  const std::string message = where(expression, file, line) + ": " + cublasGetStatusName(status) +
                              " (" + cublasGetStatusString(status) + ")";
  if (status == CUBLAS_STATUS_ALLOC_FAILED) throw TrainingError("out of GPU memory: " + message);
  throw std::runtime_error("cuBLAS error: " + message);
}

}  // namespace eegsweep::cuda
