#include "engine/cli/leaderboard.h"

#include <algorithm>
#include <cmath>

namespace eegsweep::cli {

std::vector<LeaderboardRow> leaderboard(Store& store, const SweepInfo& sweep,
                                        const std::string& sort_metric) {
  if (!metric_is_known(sort_metric)) {
    throw std::invalid_argument("--sort: unknown metric '" + sort_metric +
                                "' (allowed: accuracy, f1_macro, precision_macro, recall_macro, loss)");
  }
  std::vector<LeaderboardRow> rows;
  for (const auto& trial : store.trials(sweep.id)) {
    LeaderboardRow row;
    row.trial = trial;
    const auto folds = store.folds(trial.id);
    row.folds = static_cast<int>(folds.size());
    for (const auto& name : metric_names()) {
      if (folds.empty()) continue;
      double sum = 0, squares = 0;
      for (const auto& f : folds) sum += metric_value(f.val, name);
      const double mean = sum / static_cast<double>(folds.size());
      for (const auto& f : folds) squares += std::pow(metric_value(f.val, name) - mean, 2);
      row.mean[name] = mean;
      row.std[name] = std::sqrt(squares / static_cast<double>(folds.size()));
    }
    rows.push_back(std::move(row));
  }
  const bool maximize = metric_default_maximize(sort_metric);
  const std::string key = sort_metric.rfind("val_", 0) == 0 ? sort_metric.substr(4) : sort_metric;
  std::stable_sort(rows.begin(), rows.end(), [&](const LeaderboardRow& a, const LeaderboardRow& b) {
    const bool a_done = a.trial.status == TrialStatus::completed;
    const bool b_done = b.trial.status == TrialStatus::completed;
    if (a_done != b_done) return a_done;
    if (!a_done) return a.trial.number < b.trial.number;
    const double va = a.mean.at(key), vb = b.mean.at(key);
    if (va != vb) return maximize ? va > vb : va < vb;
    return a.trial.number < b.trial.number;
  });
  return rows;
}

}  // namespace eegsweep::cli
