#pragma once
// A row of F features read as a sequence: timesteps × (F / timesteps), step-major
// (feature index = step * inputs + input).

#include <cstddef>

namespace eegsweep {

struct SequenceShape {
  int timesteps = 0;
  int inputs = 0;
};

// Throws DataError naming both numbers when timesteps does not divide the feature count.
SequenceShape sequence_shape(std::size_t features, int timesteps);

}  // namespace eegsweep
