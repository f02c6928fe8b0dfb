#pragma once
// `sweep reproduce`: a stored trial's final model retrained from the stored spec (with its --set
// overrides), data and seed, scored on the held-out test rows, recorded, and compared with the
// trial's recorded test score.

#include <optional>
#include <string>
#include <vector>

#include "results/store.h"

namespace eegsweep {

// Test accuracy may differ by this much (absolute) between devices: float rounding differs, so
// training paths drift apart. On one device type the result must be identical.
constexpr double kCrossDeviceTolerance = 0.02;

struct Reproduction {
  enum class Verdict {
    first_record,  // the trial had no test score: this one is now its record
    identical,     // same epochs, test loss, confusion matrix and weights
    close,         // across devices, within kCrossDeviceTolerance
    different,
  };
  std::optional<FinalRunRecord> recorded;
  FinalRunRecord reproduced;  // stored as kind "reproduce" (or "final" for a first record)
  Verdict verdict = Verdict::different;
  double accuracy_difference = 0;  // |reproduced − recorded| test accuracy
  std::string backend_reason;      // which device was chosen, and why
};

// A sweep without test rows (test_split: 0, leave-one-group-out over every group): its folds
// retrained from the stored seed and compared with their record, fold by fold.
struct FoldReproduction {
  FoldRecord recorded, reproduced;
  bool identical = false;  // same best epoch, validation loss, confusion matrix
};
struct FoldsReproduction {
  std::vector<FoldReproduction> folds;
  bool cross_device = false;      // recorded or reproduced off the CPU: within the tolerance
  double largest_difference = 0;  // |reproduced − recorded| accuracy, over the folds
  bool matches = false;           // identical on the CPU; within kCrossDeviceTolerance across devices
  std::string backend_reason;
};
FoldsReproduction reproduce_folds(Store& store, const SweepInfo& sweep, const TrialRecord& trial,
                                  const std::string& device);
// Whether the stored sweep holds test rows (else `reproduce` checks its folds).
bool sweep_has_test_rows(const SweepInfo& sweep);

// `device` empty = the sweep's own. Throws DataError when the data changed since the sweep ran,
// SpecError when the stored spec no longer parses, std::invalid_argument when the trial is not
// completed, Interrupted on Ctrl-C.
Reproduction reproduce_trial(Store& store, const SweepInfo& sweep, const TrialRecord& trial,
                             const std::string& device);

}  // namespace eegsweep
