#pragma once
// Splits by named groups: a test set of chosen groups (`test: {groups: [...]}`), and
// leave-one-group-out folds (`cv: {method: leave_one_group_out}`), where the question asked is
// "does it work on a person it has never seen?".

#include <string>
#include <vector>

#include "engine/data/splits.h"

namespace eegsweep {

// Test = every row whose group value is one of `names`; train = the rest. Throws DataError when
// the data has no groups, a name is not a value of the group column (the message lists the
// values), a name is given twice, or no group would be left for training.
HoldoutSplit holdout_groups(const Dataset& data, const std::vector<std::string>& names);

// One fold per group present in `rows`, in the order of the group values (data.group_names):
// fold f validates on every row of its group and trains on the others. Throws DataError without
// groups or with fewer than 2 groups.
std::vector<Fold> leave_one_group_out(const Dataset& data, const RowList& rows);

}  // namespace eegsweep
