#pragma once
// "accuracy 0.7412 ± 0.0310 (standard error over 5 folds), 95 % interval [0.6551, 0.8273]": how
// precisely the folds pin a trial's cross-validation mean down (t over folds).

#include <string>
#include <vector>

#include "results/store.h"

namespace eegsweep::cli {

std::string cv_interval_text(const std::vector<FoldRecord>& folds, const std::string& metric);

}  // namespace eegsweep::cli
