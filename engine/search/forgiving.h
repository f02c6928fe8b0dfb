#pragma once
// The "forgiving" rule of early-stopped cross-validation (Bergman, Purucker & Hutter, AutoML
// 2024): after each fold, a trial whose fold score is worse than the incumbent's worst fold score
// cannot become the incumbent's equal on every fold, so its remaining folds are skipped. Values are
// losses (lower is better); ties survive; without an incumbent every trial goes on.

#include <optional>
#include <vector>

namespace eegsweep {

struct ForgivingStop {
  double cutoff = 0;  // the incumbent's worst fold loss
  double value = 0;   // the trial's fold loss above it
};

std::optional<ForgivingStop> forgiving_check(double fold_loss, const std::vector<double>& incumbent_fold_losses);

}  // namespace eegsweep
