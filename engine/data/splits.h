#pragma once
// Leak-free splits: a held-out test split, then k folds over the remaining rows.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/dataset.h"

namespace eegsweep {

struct HoldoutSplit {
  RowList train;  // every non-test row, sorted ascending
  RowList test;   // sorted ascending
};

// Stratified by class, seeded. test_fraction in [0, 1); 0 gives an empty test set.
// When the dataset has groups, whole groups go to the test side (stratified as far as groups
// allow), so no group straddles train and test.
HoldoutSplit holdout_split(const Dataset& data, double test_fraction, std::uint64_t seed,
                           bool by_group = false);
// The same over a subset of the rows (e.g. a fold's training rows, for an inner validation
// split); with every row, identical to the above.
HoldoutSplit holdout_split(const Dataset& data, const RowList& rows, double test_fraction,
                           std::uint64_t seed, bool by_group = false);

struct Fold {
  RowList train;  // sorted ascending
  RowList val;    // sorted ascending
  std::string held_out_group;  // leave-one-group-out: the group `val` holds; else empty
};

struct KFoldOptions {
  int folds = 5;
  bool stratified = true;
  bool grouped = false;  // requires data.has_groups(): no group appears in two folds
  std::uint64_t seed = 0;
};

// Partitions `rows` into k validation folds (each row validates exactly once). Stratified:
// per-class counts per fold within one row of ideal. Grouped: groups assigned whole, balancing
// fold sizes and class mix as far as groups allow. Throws DataError if k < 2, k > rows, or
// grouped with fewer groups than folds.
std::vector<Fold> kfold(const Dataset& data, const RowList& rows, const KFoldOptions& options);

}  // namespace eegsweep
