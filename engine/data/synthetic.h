#pragma once
// Deterministic synthetic EEG-like tables: each class has its own temporal/spectral structure
// along the feature axis (so a GRU reading features as a sequence can separate them), plus noise.

#include <cstdint>

#include "engine/data/dataset.h"

namespace eegsweep {

struct SyntheticSpec {
  int rows = 600;
  int features = 64;
  int classes = 3;
  double noise = 1.0;      // noise standard deviation relative to the class signal amplitude
  int groups = 0;          // > 0: rows are assigned round-robin to "rec<k>" groups
  std::uint64_t seed = 1;
};

// Same spec → bit-identical dataset. Classes are "class0", "class1", …; classes balanced.
Dataset make_synthetic(const SyntheticSpec& spec);

}  // namespace eegsweep
