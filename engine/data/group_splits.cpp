#include "engine/data/group_splits.h"

#include <algorithm>
#include <set>

namespace eegsweep {

namespace {

std::string group_list(const Dataset& data) {
  std::vector<std::string> names = data.group_names;
  std::sort(names.begin(), names.end());
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

std::string column_name(const Dataset& data) {
  return data.group_column.empty() ? "the group column" : "group column '" + data.group_column + "'";
}

}  // namespace

HoldoutSplit holdout_groups(const Dataset& data, const std::vector<std::string>& names) {
  if (!data.has_groups()) throw DataError("test.groups: the data has no group column");
  std::vector<char> is_test_group(data.group_names.size(), 0);
  for (const auto& name : names) {
    const auto it = std::find(data.group_names.begin(), data.group_names.end(), name);
    if (it == data.group_names.end()) {
      throw DataError("test.groups: '" + name + "' is not a value of " + column_name(data) +
                      " (values: " + group_list(data) + ")");
    }
    char& chosen = is_test_group[static_cast<std::size_t>(it - data.group_names.begin())];
    if (chosen) throw DataError("test.groups: '" + name + "' is given twice");
    chosen = 1;
  }
  HoldoutSplit split;
  for (std::size_t r = 0; r < data.rows; ++r) {
    const bool test = is_test_group[static_cast<std::size_t>(data.group[r])] != 0;
    (test ? split.test : split.train).push_back(static_cast<RowIndex>(r));
  }
  if (split.train.empty()) {
    throw DataError("test.groups: every group of " + column_name(data) +
                    " is in the test set; none is left to train on");
  }
  return split;
}

std::vector<Fold> leave_one_group_out(const Dataset& data, const RowList& rows) {
  if (!data.has_groups()) {
    throw DataError("leave-one-group-out: the data has no group column");
  }
  std::set<int> present;
  for (RowIndex r : rows) {
    if (r >= data.rows) {
      throw DataError("leave-one-group-out: row index " + std::to_string(r) +
                      " is outside the dataset (" + std::to_string(data.rows) + " rows)");
    }
    present.insert(data.group[r]);
  }
  if (present.size() < 2) {
    throw DataError("leave-one-group-out: needs at least 2 groups of " + column_name(data) +
                    " outside the test set, got " + std::to_string(present.size()));
  }
  std::vector<Fold> folds;
  for (int g : present) {
    Fold fold;
    fold.held_out_group = data.group_names.at(static_cast<std::size_t>(g));
    for (RowIndex r : rows) (data.group[r] == g ? fold.val : fold.train).push_back(r);
    std::sort(fold.train.begin(), fold.train.end());
    std::sort(fold.val.begin(), fold.val.end());
    folds.push_back(std::move(fold));
  }
  return folds;
}

}  // namespace eegsweep
