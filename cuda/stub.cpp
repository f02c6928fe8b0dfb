// Built instead of the cuDNN backend when CUDA is not available at configure time.
#include <stdexcept>

#include "cuda/cuda_backend.h"

namespace eegsweep {

bool cuda_usable(std::string* why) {
  if (why) *why = "built without CUDA (nvcc was not found when the build was configured)";
  return false;
}

std::unique_ptr<Backend> make_cuda_backend() {
  throw std::runtime_error("built without CUDA: reconfigure with nvcc available and EEGSWEEP_WITH_CUDA=ON");
}

}  // namespace eegsweep
