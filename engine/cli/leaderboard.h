#pragma once
// The rows of `sweep results` / `export`: each trial with its parameters and the mean and
// standard deviation of every metric over its folds.

#include <map>
#include <string>
#include <vector>

#include "results/store.h"

namespace eegsweep::cli {

struct LeaderboardRow {
  TrialRecord trial;
  int folds = 0;
  std::map<std::string, double> mean;  // metric name → mean over folds
  std::map<std::string, double> std;   // population standard deviation over folds
};

// Completed trials sorted by `sort_metric` (best first: higher unless the metric is a loss),
// then every other trial (failed, pending, …) in number order.
std::vector<LeaderboardRow> leaderboard(Store& store, const SweepInfo& sweep,
                                        const std::string& sort_metric);

}  // namespace eegsweep::cli
