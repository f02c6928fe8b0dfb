#include "engine/sched/split_record.h"

namespace eegsweep {

SweepSplits sweep_splits(const SweepPlan& plan) {
  const Dataset& data = *plan.data;
  SweepSplits splits;
  std::vector<int> fold_of(data.rows, -2);  // -2: in no split (cannot happen: checked below)
  for (RowIndex r : plan.holdout.test) fold_of[r] = -1;
  for (std::size_t f = 0; f < plan.folds.size(); ++f) {
    splits.held_out_groups.push_back(plan.folds[f].held_out_group);
    for (RowIndex r : plan.folds[f].val) fold_of[r] = static_cast<int>(f);
  }
  for (std::size_t r = 0; r < data.rows; ++r) {
    if (fold_of[r] == -2) continue;
    SplitRow row;
    row.row = static_cast<std::int64_t>(r);
    row.fold = fold_of[r];
    if (data.has_groups()) row.group = data.group_names.at(static_cast<std::size_t>(data.group[r]));
    row.label = data.class_names.at(static_cast<std::size_t>(data.y[r]));
    splits.rows.push_back(std::move(row));
  }
  return splits;
}

}  // namespace eegsweep
