#include "engine/sched/backend_choice.h"

#include <stdexcept>

#include "cuda/cuda_backend.h"
#include "engine/cpu/cpu_backend.h"

namespace eegsweep {

BackendChoice choose_backend(const std::string& device, int cpu_threads) {
  BackendChoice choice;
  if (device == "cpu") {
    choice.backend = make_cpu_backend(cpu_threads);
    choice.reason = "device cpu: " + choice.backend->name();
    return choice;
  }
  std::string why;
  const bool gpu = cuda_usable(&why);
  if (device == "cuda") {
    if (!gpu) throw std::runtime_error("device: cuda was asked for, but no GPU is usable: " + why);
    choice.backend = make_cuda_backend();
    choice.reason = "device cuda: " + choice.backend->name();
    return choice;
  }
  if (device != "auto") throw std::runtime_error("unknown device '" + device + "' (allowed: auto, cpu, cuda)");
  if (gpu) {
    choice.backend = make_cuda_backend();
    choice.reason = "device auto: using the GPU, " + choice.backend->name();
  } else {
    choice.backend = make_cpu_backend(cpu_threads);
    choice.reason = "device auto: no usable GPU (" + why + "); using the CPU, " + choice.backend->name();
  }
  return choice;
}

}  // namespace eegsweep
