#include "engine/sched/sweep_checks.h"

#include <cstdio>
#include <map>
#include <set>
#include <string>

namespace eegsweep {
namespace {

std::string divisors_text(std::size_t n) {
  std::string text;
  int listed = 0;
  for (std::size_t d = 1; d <= n && listed < 24; ++d) {
    if (n % d != 0) continue;
    text += (text.empty() ? "" : ", ") + std::to_string(d);
    ++listed;
  }
  return listed < 24 ? text : text + ", …";
}

std::string origin(const SweepSpec& spec) {
  return spec.source_path.empty() ? std::string("<sweep>") : spec.source_path;
}

}  // namespace

void check_muse_classes(const SweepSpec& spec, const Dataset& data) {
  std::set<int> present(data.y.begin(), data.y.end());
  if (present.size() >= 2) return;
  const std::string word = present.empty() ? std::string("none")
                                           : "'" + data.class_names.at(static_cast<std::size_t>(*present.begin())) + "'";
  throw DataError(origin(spec) + ": data.path: the Muse recordings in " + data.source +
                  " are all of one class (" + word + ", from " + std::to_string(data.group_names.size()) +
                  " recordings); a classifier needs recordings of at least 2 classes — the class is the "
                  "word in each file name (" + spec.data.muse.filename_pattern + ")");
}

void check_timesteps_fit(const SweepSpec& spec, const std::vector<Trial>& trials, const Dataset& data) {
  std::map<int, std::set<int>> bad;  // timesteps → trial numbers
  for (const Trial& trial : trials) {
    const int steps = trial.params.timesteps;
    if (steps == 0) continue;  // one feature per step: always fits
    if (data.features == 0 || data.features % static_cast<std::size_t>(steps) != 0) {
      bad[steps].insert(trial.number);
    }
  }
  if (bad.empty()) return;
  std::string values, numbers;
  std::set<int> trial_numbers;
  for (const auto& [steps, numbers_of_value] : bad) {
    values += (values.empty() ? "" : ", ") + std::to_string(steps);
    trial_numbers.insert(numbers_of_value.begin(), numbers_of_value.end());
  }
  int shown = 0;
  for (int n : trial_numbers) {
    if (shown++ < 10) numbers += (numbers.empty() ? "" : ", ") + std::to_string(n);
  }
  if (shown > 10) numbers += ", …";
  throw DataError(origin(spec) + ": parameters.timesteps: " + values + (bad.size() > 1 ? " do" : " does") +
                  " not divide the " + std::to_string(data.features) + " features of " + data.source +
                  " (trials " + numbers + "); a row of F features becomes timesteps × F/timesteps, so "
                  "timesteps must divide " + std::to_string(data.features) + ": " +
                  divisors_text(data.features) + " (or 0: one feature per step)");
}

void check_folds_after_holdout(const SweepSpec& spec, const Dataset& data, const HoldoutSplit& holdout) {
  const int folds = spec.cv.folds;
  char fraction[32];
  std::snprintf(fraction, sizeof fraction, "%g", spec.test_split);
  const std::string test_split = std::string("test_split: ") + fraction;
  if (!spec.cv.group_by.empty()) {
    std::set<int> all, test, remaining;
    for (int g : data.group) all.insert(g);
    for (RowIndex r : holdout.test) test.insert(data.group[r]);
    for (RowIndex r : holdout.train) remaining.insert(data.group[r]);
    if (static_cast<int>(remaining.size()) >= folds) return;
    throw DataError(origin(spec) + ": cv.folds: " + std::to_string(folds) + " grouped folds need at least " +
                    std::to_string(folds) + " groups of '" + data.group_column + "' outside the test split; " +
                    "the data has " + std::to_string(all.size()) + ", " + std::to_string(test.size()) +
                    " went to the test split (" + test_split + "), " + std::to_string(remaining.size()) +
                    " remain — lower cv.folds or test_split, or add groups");
  }
  if (!spec.cv.stratified) return;  // random folds promise no class mix; kfold checks the row count
  std::vector<std::size_t> total(data.num_classes(), 0), remaining(data.num_classes(), 0);
  for (int label : data.y) ++total[static_cast<std::size_t>(label)];
  for (RowIndex r : holdout.train) ++remaining[static_cast<std::size_t>(data.y[r])];
  for (std::size_t c = 0; c < total.size(); ++c) {
    if (remaining[c] >= static_cast<std::size_t>(folds)) continue;
    throw DataError(origin(spec) + ": class '" + data.class_names[c] + "' has " + std::to_string(total[c]) +
                    " rows; " + std::to_string(total[c] - remaining[c]) + " went to the test split (" +
                    test_split + "), leaving " + std::to_string(remaining[c]) + " for " +
                    std::to_string(folds) + " folds: every fold needs at least one row of every class "
                    "to validate on — lower test_split or cv.folds");
  }
}

}  // namespace eegsweep
