#pragma once
// A test score's 95 % interval by the bootstrap: the test set is resampled with replacement — whole
// groups (subjects, recordings) when it is grouped, since windows of one group are not
// independent, else single rows — and the score recomputed on each resample. Seeded: the same
// inputs and seed give the same interval.

#include <cstdint>
#include <vector>

#include "engine/model/metrics.h"

namespace eegsweep {

struct BootstrapInterval {
  double low = 0, high = 0;  // 2.5th and 97.5th percentiles of the resampled scores
  int units = 0;             // groups (or rows) resampled
  int resamples = 0;
};

// Each unit is one group's confusion matrix (or one row's); a resample draws units.size() units
// with replacement and pools their confusion matrices. `balanced`: macro recall over the classes
// present in the resample; else accuracy. Throws std::invalid_argument without units.
BootstrapInterval bootstrap_interval(const std::vector<ConfusionMatrix>& units, bool balanced,
                                     std::uint64_t seed, int resamples = 2000);

// The rows of a confusion matrix as single-row units (an ungrouped test set).
std::vector<ConfusionMatrix> row_units(const ConfusionMatrix& confusion);

}  // namespace eegsweep
