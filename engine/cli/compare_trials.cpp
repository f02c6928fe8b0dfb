#include "engine/cli/compare_trials.h"

#include <fmt/format.h>

#include <stdexcept>

#include "engine/cli/cli_common.h"
#include "engine/model/fold_statistics.h"
#include "engine/model/metrics.h"

namespace eegsweep::cli {

namespace {

std::vector<FoldRecord> completed_folds(Store& store, const SweepInfo& sweep, int number) {
  const auto trial = store.trial(sweep.id, number);
  if (!trial) throw std::invalid_argument(fmt::format("{}: sweep '{}' has no trial {}", store.path(), sweep.name, number));
  if (trial->status != TrialStatus::completed) {
    throw std::invalid_argument(fmt::format("{}: trial {} is {}, not completed", store.path(), number,
                                            status_name(trial->status)));
  }
  return store.folds(trial->id);
}

}  // namespace

int compare_trials(Store& store, const SweepInfo& sweep, int trial_a, int trial_b) {
  const std::vector<FoldRecord> a = completed_folds(store, sweep, trial_a);
  const std::vector<FoldRecord> b = completed_folds(store, sweep, trial_b);
  if (a.size() != b.size() || a.size() < 2) {
    throw std::invalid_argument(fmt::format("trials {} and {} need the same folds, at least 2 (they have {} and {})",
                                            trial_a, trial_b, a.size(), b.size()));
  }
  const std::string metric = canonical_metric_name(sweep.metric_name);
  std::vector<double> va, vb;
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < a.size(); ++i) {
    va.push_back(metric_value(a[i].val, metric));
    vb.push_back(metric_value(b[i].val, metric));
    rows.push_back({std::to_string(a[i].fold + 1), a[i].held_out_group, format_metric(va.back()),
                    format_metric(vb.back()), fmt::format("{:+.4f}", va.back() - vb.back())});
  }
  const PairedTest test = paired_t_test(va, vb);
  std::printf("sweep '%s': trial %d vs trial %d, %s per fold\n%s", sweep.name.c_str(), trial_a, trial_b,
              metric.c_str(),
              render_table({"fold", "held out", "trial " + std::to_string(trial_a),
                            "trial " + std::to_string(trial_b), "difference"},
                           rows)
                  .c_str());
  std::printf("\nmean difference %+.4f; paired t-test over %d folds: t = %.3f, %d degrees of freedom, "
              "two-sided p = %.4g\n",
              test.mean_difference, test.n, test.t, test.n - 1, test.p_value);
  std::printf("(folds share training rows, so p is optimistic: read p > 0.05 as \"no evidence of a "
              "difference\", and a small p as weaker evidence than it looks)\n");
  return static_cast<int>(exit_ok);
}

}  // namespace eegsweep::cli
