#pragma once
// How much a held-out test score can be trusted: bootstrap 95 % intervals of accuracy and
// balanced accuracy (whole groups resampled when the test set is grouped, rows otherwise), each
// test group's own score, and a warning when there are too few groups to say much.

#include <string>
#include <vector>

#include "engine/model/bootstrap.h"
#include "results/store.h"

namespace eegsweep::cli {

// Fewer test groups than this: the score is mostly the luck of which groups were drawn.
constexpr int kFewTestGroups = 10;

struct TestGroupScore {
  std::string group;
  std::int64_t rows = 0;
  double accuracy = 0, balanced_accuracy = 0;
};

struct TestUncertainty {
  bool grouped = false;  // resampled by group (final_run_groups has rows for the run)
  std::vector<TestGroupScore> groups;
  BootstrapInterval accuracy, balanced_accuracy;
  std::string warning;  // empty, or why the interval is wide / unreliable
};

TestUncertainty test_uncertainty(Store& store, const SweepInfo& sweep, const FinalRunRecord& run);

}  // namespace eegsweep::cli
