#pragma once
// Parameter importance for the report: how much of the spread of the trials' scores each
// parameter explains on its own. The method is the correlation ratio η² (one-way ANOVA): the
// share of the score's variance that lies between the groups of trials sharing a value of the
// parameter. Cheap (one pass per parameter), exact for grids, and easy to state; it sees main
// effects only, not interactions. Numeric parameters with many distinct values (random search)
// are first cut into equal-count bins, so that a parameter never "explains" the scores merely by
// giving every trial its own group.

#include <string>
#include <vector>

namespace eegsweep::report {

inline constexpr const char kImportanceMethod[] =
    "η² (correlation ratio, one-way ANOVA of the score on each parameter alone; numeric "
    "parameters with more than 8 distinct values cut into 8 equal-count bins)";

// One parameter's value for every trial, in the same order as the scores.
struct ParameterColumn {
  std::string name;
  std::vector<std::string> values;  // the value as text (the group key)
  std::vector<double> numbers;      // the same values as numbers, or empty when not all are
};

struct ParameterImportance {
  std::string name;
  double importance = 0;  // η², in [0, 1]
};

// Σ n_g (mean_g − mean)² / Σ (score − mean)² over groups g of equal `levels`; 0 when the scores
// do not vary. Throws std::invalid_argument when the lengths differ.
double correlation_ratio(const std::vector<std::string>& levels, const std::vector<double>& scores);

// Equal-count bins of `numbers` (by rank; equal numbers share a bin): bin labels "0".."bins-1".
std::vector<std::string> quantile_bins(const std::vector<double>& numbers, int bins);

// Every column's η², most important first (ties by name). Numeric columns with more than
// `max_levels` distinct values are binned into `max_levels` equal-count bins.
std::vector<ParameterImportance> parameter_importance(const std::vector<ParameterColumn>& columns,
                                                      const std::vector<double>& scores,
                                                      int max_levels = 8);

}  // namespace eegsweep::report
