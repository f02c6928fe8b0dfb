#include "engine/cli/evaluation_summary.h"

#include <fmt/format.h>

#include <set>

namespace eegsweep::cli {

namespace {

std::string group_names(const Dataset& data, const RowList& rows) {
  std::set<int> ids;
  for (RowIndex r : rows) ids.insert(data.group[r]);
  std::string text;
  for (int g : ids) text += (text.empty() ? "" : ", ") + data.group_names.at(static_cast<std::size_t>(g));
  return fmt::format("{} group{}: {}", ids.size(), ids.size() == 1 ? "" : "s", text);
}

}  // namespace

std::string evaluation_summary(const SweepSpec& spec, const SweepPlan& plan) {
  const Dataset& data = *plan.data;
  std::string out;
  const bool test_grouped = data.has_groups() && (plan.grouped || !spec.test.groups.empty());
  if (plan.holdout.test.empty()) {
    out += "test: none (no held-out rows; the folds are the evaluation)\n";
  } else {
    out += fmt::format("test: {} rows{}", plan.holdout.test.size(),
                       !spec.test.path.empty()     ? " (test.path: " + spec.test.path + ")"
                       : !spec.test.groups.empty() ? std::string(" (test.groups)")
                                                   : fmt::format(" (test_split {})", spec.test_split));
    if (test_grouped) out += fmt::format(" — {} of '{}'", group_names(data, plan.holdout.test), data.group_column);
    out += "\n";
  }
  if (spec.cv.method == "leave_one_group_out") {
    out += fmt::format("folds: leave-one-group-out, {} folds, one per group of '{}':", plan.folds.size(),
                       data.group_column);
    for (std::size_t f = 0; f < plan.folds.size(); ++f) {
      out += fmt::format(" {}={} ({} rows)", f + 1, plan.folds[f].held_out_group, plan.folds[f].val.size());
    }
    out += "\n";
  } else {
    const std::string kind = plan.grouped ? "grouped (by '" + data.group_column + "')"
                             : spec.cv.stratified ? "stratified" : "random";
    out += fmt::format("folds: {} {} folds over {} rows\n", plan.folds.size(), kind, plan.holdout.train.size());
  }
  out += spec.cv.epoch_selection == "inner"
             ? fmt::format("epochs: chosen on an inner split of each fold's training rows ({:.0f} %{}); "
                           "each fold's validation rows score that epoch once\n",
                           kInnerValidationFraction * 100, plan.grouped ? ", whole groups" : "")
             : std::string("epochs: chosen on each fold's own validation rows (cv.epoch_selection: fold; "
                           "optimistic)\n");
  return out;
}

}  // namespace eegsweep::cli
