#pragma once
// The cuDNN backend's entry points. This header includes no CUDA header, so the scheduler can use
// it whether or not the engine was built with CUDA.

#include <memory>
#include <string>

#include "engine/model/backend.h"

namespace eegsweep {

// True when built with CUDA and at least one GPU is usable; otherwise false with the reason in
// *why (e.g. "built without CUDA", "no CUDA device: cudaGetDeviceCount: no CUDA-capable device").
bool cuda_usable(std::string* why);

// Uses every visible GPU; several trainers per GPU, each with its own stream and handles,
// admitted by their memory estimate. Throws std::runtime_error("built without CUDA") in the stub.
std::unique_ptr<Backend> make_cuda_backend();

}  // namespace eegsweep
