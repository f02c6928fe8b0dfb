#include "engine/report/importance.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

namespace eegsweep::report {

double correlation_ratio(const std::vector<std::string>& levels, const std::vector<double>& scores) {
  if (levels.size() != scores.size()) {
    throw std::invalid_argument("correlation_ratio: " + std::to_string(levels.size()) +
                                " levels for " + std::to_string(scores.size()) + " scores");
  }
  if (scores.empty()) return 0;
  const double mean = std::accumulate(scores.begin(), scores.end(), 0.0) / scores.size();
  double total = 0;
  std::map<std::string, std::pair<double, int>> groups;  // level → (sum, count)
  for (std::size_t i = 0; i < scores.size(); ++i) {
    total += (scores[i] - mean) * (scores[i] - mean);
    auto& group = groups[levels[i]];
    group.first += scores[i];
    group.second += 1;
  }
  if (total <= 0) return 0;
  double between = 0;
  for (const auto& [level, group] : groups) {
    const double group_mean = group.first / group.second;
    between += group.second * (group_mean - mean) * (group_mean - mean);
  }
  return std::clamp(between / total, 0.0, 1.0);
}

std::vector<std::string> quantile_bins(const std::vector<double>& numbers, int bins) {
  std::vector<std::size_t> order(numbers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return numbers[a] < numbers[b]; });
  std::vector<std::string> labels(numbers.size());
  std::size_t rank = 0;
  while (rank < order.size()) {
    // Equal numbers take the bin of the first of them, so that a value is never split.
    const int bin = static_cast<int>(rank * bins / order.size());
    std::size_t end = rank;
    while (end < order.size() && numbers[order[end]] == numbers[order[rank]]) {
      labels[order[end]] = std::to_string(bin);
      ++end;
    }
    rank = end;
  }
  return labels;
}

std::vector<ParameterImportance> parameter_importance(const std::vector<ParameterColumn>& columns,
                                                      const std::vector<double>& scores,
                                                      int max_levels) {
  std::vector<ParameterImportance> out;
  for (const auto& column : columns) {
    std::vector<std::string> levels = column.values;
    if (!column.numbers.empty()) {
      const std::set<double> distinct(column.numbers.begin(), column.numbers.end());
      if (static_cast<int>(distinct.size()) > max_levels) levels = quantile_bins(column.numbers, max_levels);
    }
    out.push_back({column.name, correlation_ratio(levels, scores)});
  }
  std::stable_sort(out.begin(), out.end(), [](const ParameterImportance& a, const ParameterImportance& b) {
    return a.importance != b.importance ? a.importance > b.importance : a.name < b.name;
  });
  return out;
}

}  // namespace eegsweep::report
