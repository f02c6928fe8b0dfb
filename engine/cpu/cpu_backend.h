#pragma once
// The CPU backend: oneDNN's GRU, one single-threaded trainer per core.

#include <memory>

#include "engine/model/backend.h"

namespace eegsweep {

// threads: how many trainers the scheduler runs at once; 0 = one per core.
std::unique_ptr<Backend> make_cpu_backend(int threads = 0);

}  // namespace eegsweep
