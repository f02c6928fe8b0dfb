#pragma once
// A grow-only, 64-byte-aligned, uninitialised scratch buffer: oneDNN's kernels prefer aligned
// data, and a trainer's buffers are resized only when a larger batch first appears.

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace eegsweep {

class AlignedBuffer {
 public:
  // Ensures room for `bytes`; the contents are lost when it grows.
  void reserve(std::size_t bytes) {
    if (bytes <= size_) return;
    const std::size_t rounded = (bytes + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, rounded);
    if (!p) throw std::bad_alloc();
    data_.reset(p);
    size_ = rounded;
  }
  template <typename T = float>
  T* as() const { return static_cast<T*>(data_.get()); }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  std::unique_ptr<void, Free> data_;
  std::size_t size_ = 0;
};

}  // namespace eegsweep
