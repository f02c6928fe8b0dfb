#include "engine/data/sequence.h"

#include <string>

#include "engine/data/dataset.h"

namespace eegsweep {

SequenceShape sequence_shape(std::size_t features, int timesteps) {
  if (timesteps <= 0) {
    throw DataError("timesteps must be positive, got " + std::to_string(timesteps) + " (" +
                    std::to_string(features) + " features)");
  }
  const auto steps = static_cast<std::size_t>(timesteps);
  if (features == 0 || features % steps != 0) {
    throw DataError("timesteps " + std::to_string(timesteps) + " does not divide the " +
                    std::to_string(features) + " features of a row");
  }
  return SequenceShape{timesteps, static_cast<int>(features / steps)};
}

}  // namespace eegsweep
