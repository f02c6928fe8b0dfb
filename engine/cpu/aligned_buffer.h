#pragma once
// A grow-only, aligned, uninitialised scratch buffer: oneDNN's kernels prefer aligned data, and a
// trainer's buffers are resized only when a larger batch first appears. Large buffers (the GRU
// workspace is ~1 GB at the classic shape, streamed once forward and once backward per batch)
// ask for transparent huge pages, which saves TLB misses where the kernel grants them.

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

#include <sys/mman.h>

namespace eegsweep {

class AlignedBuffer {
 public:
  // Ensures room for `bytes`; the contents are lost when it grows.
  void reserve(std::size_t bytes) {
    if (bytes <= size_) return;
    const std::size_t alignment = bytes >= huge_page ? huge_page : 64;
    const std::size_t rounded = (bytes + alignment - 1) / alignment * alignment;
    void* p = std::aligned_alloc(alignment, rounded);
    if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    if (alignment == huge_page) madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure is fine
#endif
    data_.reset(p);
    size_ = rounded;
  }
  template <typename T = float>
  T* as() const { return static_cast<T*>(data_.get()); }
  std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t huge_page = std::size_t{2} << 20;
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  std::unique_ptr<void, Free> data_;
  std::size_t size_ = 0;
};

}  // namespace eegsweep
