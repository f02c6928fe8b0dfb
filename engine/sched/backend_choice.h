#pragma once
// `device: auto | cpu | cuda` → a Backend, and a sentence saying what was chosen and why.

#include <memory>
#include <string>

#include "engine/model/backend.h"

namespace eegsweep {

struct BackendChoice {
  std::unique_ptr<Backend> backend;
  std::string reason;  // e.g. "device auto: no usable GPU (built without CUDA); using the CPU"
};

// `cpu_threads` 0 = one trainer per core. Throws std::runtime_error for `cuda` without a GPU.
BackendChoice choose_backend(const std::string& device, int cpu_threads = 0);

}  // namespace eegsweep
