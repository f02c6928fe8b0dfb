#include "engine/cli/cv_interval.h"

#include <fmt/format.h>

#include "engine/model/fold_statistics.h"
#include "engine/model/metrics.h"

namespace eegsweep::cli {

std::string cv_interval_text(const std::vector<FoldRecord>& folds, const std::string& metric) {
  std::vector<double> values;
  for (const auto& f : folds) values.push_back(metric_value(f.val, metric));
  const MeanInterval m = mean_interval(values);
  return fmt::format("{} {:.4f} ± {:.4f} (standard error over {} folds), 95 % interval [{:.4f}, {:.4f}]",
                     metric, m.mean, m.std_error, m.n, m.low, m.high);
}

}  // namespace eegsweep::cli
