#include "engine/search/forgiving.h"

#include <algorithm>

namespace eegsweep {

std::optional<ForgivingStop> forgiving_check(double fold_loss, const std::vector<double>& incumbent_fold_losses) {
  if (incumbent_fold_losses.empty()) return std::nullopt;
  const double worst = *std::max_element(incumbent_fold_losses.begin(), incumbent_fold_losses.end());
  if (fold_loss > worst) return ForgivingStop{worst, fold_loss};
  return std::nullopt;
}

}  // namespace eegsweep
