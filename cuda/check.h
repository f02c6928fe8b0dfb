#pragma once
// Every CUDA, cuDNN and cuBLAS call goes through one of these macros: a failure throws with the
// expression, file:line and the library's own message. Running out of device memory throws
// OutOfDeviceMemory("out of GPU memory: …") (failures.h), a TrainingError, so the scheduler
// records the trial as failed and the sweep goes on, and admission may wait and retry; a cuDNN
// failure is a CudnnError carrying its status (failures.h classify_cudnn_status says whether it
// is a refusal of the shape); everything else is a program error (std::runtime_error).

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include <stdexcept>
#include <string>

#include "engine/model/backend.h"

namespace eegsweep::cuda {

// A cuDNN failure; the status is kept so that callers can tell NOT_SUPPORTED (an algorithm that
// does not handle this shape: fall back) from real errors.
class CudnnError : public std::runtime_error {
 public:
  CudnnError(cudnnStatus_t status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  cudnnStatus_t status() const { return status_; }

 private:
  cudnnStatus_t status_;
};

[[noreturn]] void throw_cuda_error(cudaError_t error, const char* expression, const char* file,
                                   int line);
[[noreturn]] void throw_cudnn_error(cudnnStatus_t status, const char* expression, const char* file,
                                    int line);
[[noreturn]] void throw_cublas_error(cublasStatus_t status, const char* expression,
                                     const char* file, int line);

inline void check_cuda(cudaError_t error, const char* expression, const char* file, int line) {
  if (error != cudaSuccess) throw_cuda_error(error, expression, file, line);
}
inline void check_cudnn(cudnnStatus_t status, const char* expression, const char* file, int line) {
  if (status != CUDNN_STATUS_SUCCESS) throw_cudnn_error(status, expression, file, line);
}
inline void check_cublas(cublasStatus_t status, const char* expression, const char* file,
                         int line) {
  if (status != CUBLAS_STATUS_SUCCESS) throw_cublas_error(status, expression, file, line);
}

}  // namespace eegsweep::cuda

#define EEGSWEEP_CUDA_CHECK(expr) ::eegsweep::cuda::check_cuda((expr), #expr, __FILE__, __LINE__)
#define EEGSWEEP_CUDNN_CHECK(expr) ::eegsweep::cuda::check_cudnn((expr), #expr, __FILE__, __LINE__)
#define EEGSWEEP_CUBLAS_CHECK(expr) \
  ::eegsweep::cuda::check_cublas((expr), #expr, __FILE__, __LINE__)
// After every kernel launch: launch-configuration errors surface here, not at the next sync.
#define EEGSWEEP_KERNEL_CHECK(name) \
  ::eegsweep::cuda::check_cuda(cudaGetLastError(), "launch of " name, __FILE__, __LINE__)
