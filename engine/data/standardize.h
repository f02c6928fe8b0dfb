#pragma once
// Per-feature z-scoring fitted on training rows only (never on validation or test rows).

#include <vector>

#include "engine/data/dataset.h"

namespace eegsweep {

struct Standardizer {
  std::vector<float> mean;     // per feature
  std::vector<float> inv_std;  // per feature; 1 for constant features (no division by zero)

  // Identity transform (mean 0, inv_std 1), for `preprocess: {standardize: false}`.
  static Standardizer identity(std::size_t features);
  // Statistics computed in double precision over exactly `train_rows`.
  static Standardizer fit(const Dataset& data, const RowList& train_rows);

  float apply(std::size_t feature, float value) const {
    return (value - mean[feature]) * inv_std[feature];
  }
};

}  // namespace eegsweep
