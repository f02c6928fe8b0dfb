#pragma once
// One move-only owner per CUDA/cuDNN/cuBLAS resource. Destructors never throw: a failure while
// releasing is ignored (there is nothing useful to do with it, and throwing from a destructor
// during unwinding would terminate the sweep).
//
// Device memory and handles belong to the device that was current when they were created; the
// owner of a group of them (a trainer) makes that device current again before they are released.

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

#include <cstddef>
#include <utility>

#include "cuda/check.h"

namespace eegsweep::cuda {

// A handle created by Traits::create() and released by Traits::destroy(); never copied.
template <typename Handle, typename Traits>
class Owned {
 public:
  Owned() = default;
  static Owned create() {
    Owned owned;
    owned.handle_ = Traits::create();
    return owned;
  }
  ~Owned() { reset(); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Owned(Owned&& other) noexcept : handle_(std::exchange(other.handle_, Handle{})) {}
  Owned& operator=(Owned&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, Handle{});
    }
    return *this;
  }
  Handle get() const { return handle_; }
  explicit operator bool() const { return handle_ != Handle{}; }
  void reset() noexcept {
    if (handle_ != Handle{}) Traits::destroy(handle_);
    handle_ = Handle{};
  }

 private:
  Handle handle_{};
};

struct StreamTraits {
  static cudaStream_t create() {
    cudaStream_t s{};
    // Non-blocking: the trainer's stream never synchronises with the legacy default stream, so
    // trainers packed on one GPU do not serialise each other.
    EEGSWEEP_CUDA_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    return s;
  }
  static void destroy(cudaStream_t s) noexcept { (void)cudaStreamDestroy(s); }
};
struct CudnnHandleTraits {
  static cudnnHandle_t create() {
    cudnnHandle_t h{};
    EEGSWEEP_CUDNN_CHECK(cudnnCreate(&h));
    return h;
  }
  static void destroy(cudnnHandle_t h) noexcept { (void)cudnnDestroy(h); }
};
struct CublasHandleTraits {
  static cublasHandle_t create() {
    cublasHandle_t h{};
    EEGSWEEP_CUBLAS_CHECK(cublasCreate(&h));
    return h;
  }
  static void destroy(cublasHandle_t h) noexcept { (void)cublasDestroy(h); }
};
struct TensorDescriptorTraits {
  static cudnnTensorDescriptor_t create() {
    cudnnTensorDescriptor_t d{};
    EEGSWEEP_CUDNN_CHECK(cudnnCreateTensorDescriptor(&d));
    return d;
  }
  static void destroy(cudnnTensorDescriptor_t d) noexcept { (void)cudnnDestroyTensorDescriptor(d); }
};
struct DropoutDescriptorTraits {
  static cudnnDropoutDescriptor_t create() {
    cudnnDropoutDescriptor_t d{};
    EEGSWEEP_CUDNN_CHECK(cudnnCreateDropoutDescriptor(&d));
    return d;
  }
  static void destroy(cudnnDropoutDescriptor_t d) noexcept {
    (void)cudnnDestroyDropoutDescriptor(d);
  }
};
struct RnnDescriptorTraits {
  static cudnnRNNDescriptor_t create() {
    cudnnRNNDescriptor_t d{};
    EEGSWEEP_CUDNN_CHECK(cudnnCreateRNNDescriptor(&d));
    return d;
  }
  static void destroy(cudnnRNNDescriptor_t d) noexcept { (void)cudnnDestroyRNNDescriptor(d); }
};
struct RnnDataDescriptorTraits {
  static cudnnRNNDataDescriptor_t create() {
    cudnnRNNDataDescriptor_t d{};
    EEGSWEEP_CUDNN_CHECK(cudnnCreateRNNDataDescriptor(&d));
    return d;
  }
  static void destroy(cudnnRNNDataDescriptor_t d) noexcept {
    (void)cudnnDestroyRNNDataDescriptor(d);
  }
};

using Stream = Owned<cudaStream_t, StreamTraits>;
using CudnnHandle = Owned<cudnnHandle_t, CudnnHandleTraits>;
using CublasHandle = Owned<cublasHandle_t, CublasHandleTraits>;
using TensorDescriptor = Owned<cudnnTensorDescriptor_t, TensorDescriptorTraits>;
using DropoutDescriptor = Owned<cudnnDropoutDescriptor_t, DropoutDescriptorTraits>;
using RnnDescriptor = Owned<cudnnRNNDescriptor_t, RnnDescriptorTraits>;
using RnnDataDescriptor = Owned<cudnnRNNDataDescriptor_t, RnnDataDescriptorTraits>;

// `count` elements of T in device memory (uninitialised). An empty buffer holds no pointer.
// Plain buffers (the dataset, made once per sweep) use cudaMalloc/cudaFree. A trainer's buffers
// are stream-ordered: taken from the device's memory pool on the trainer's stream and given back
// on that stream (cudaMallocFromPoolAsync/cudaFreeAsync), so that creating and destroying a
// trainer at every fold boundary never synchronises the device, as cudaFree does.
template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t count) : count_(count) {
    if (count > 0) EEGSWEEP_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), count * sizeof(T)));
  }
  // From `pool` in the order of `stream`; a null pool (a device without memory pools) falls
  // back to cudaMalloc.
  DeviceBuffer(std::size_t count, cudaMemPool_t pool, cudaStream_t stream)
      : count_(count), pool_(pool), stream_(stream) {
    if (count == 0) return;
    if (pool) {
      EEGSWEEP_CUDA_CHECK(cudaMallocFromPoolAsync(reinterpret_cast<void**>(&data_), count * sizeof(T),
                                                  pool, stream));
    } else {
      EEGSWEEP_CUDA_CHECK(cudaMalloc(reinterpret_cast<void**>(&data_), count * sizeof(T)));
    }
  }
  ~DeviceBuffer() { free(); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        count_(std::exchange(other.count_, 0)),
        pool_(other.pool_),
        stream_(other.stream_) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
      free();
      data_ = std::exchange(other.data_, nullptr);
      count_ = std::exchange(other.count_, 0);
      pool_ = other.pool_;
      stream_ = other.stream_;
    }
    return *this;
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return count_; }
  std::size_t bytes() const { return count_ * sizeof(T); }

 private:
  void free() noexcept {
    if (!data_) return;
    if (pool_) {
      (void)cudaFreeAsync(data_, stream_);
    } else {
      (void)cudaFree(data_);
    }
    data_ = nullptr;
  }

  T* data_ = nullptr;
  std::size_t count_ = 0;
  cudaMemPool_t pool_ = nullptr;
  cudaStream_t stream_ = nullptr;
};

// What a trainer needs to issue work on a GPU, kept in a per-device pool (BackendState) and
// lent to one trainer at a time: creating and destroying cuDNN and cuBLAS handles costs
// milliseconds and device-wide synchronisation at every fold boundary. Each set has its own
// stream, and its cuBLAS workspace is its own, so trainers sharing a GPU stay independent.
struct HandleSet {
  int device = 0;
  Stream stream;
  CudnnHandle cudnn;
  CublasHandle cublas;
  DeviceBuffer<unsigned char> cublas_workspace;
};

// Restores the calling thread's current device when it goes out of scope: trainers of several
// GPUs are driven from the same scheduler threads.
class DeviceScope {
 public:
  explicit DeviceScope(int device) {
    EEGSWEEP_CUDA_CHECK(cudaGetDevice(&previous_));
    if (previous_ != device) EEGSWEEP_CUDA_CHECK(cudaSetDevice(device));
  }
  ~DeviceScope() { (void)cudaSetDevice(previous_); }
  DeviceScope(const DeviceScope&) = delete;
  DeviceScope& operator=(const DeviceScope&) = delete;

 private:
  int previous_ = 0;
};

}  // namespace eegsweep::cuda
