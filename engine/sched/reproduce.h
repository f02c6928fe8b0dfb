#pragma once
// `sweep reproduce`: a stored trial's final model retrained from the stored spec (with its --set
// overrides), data and seed, scored on the held-out test rows, recorded, and compared with the
// trial's recorded test score.

#include <optional>
#include <string>

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

// `device` empty = the sweep's own. Throws DataError when the data changed since the sweep ran,
// SpecError when the stored spec no longer parses, std::invalid_argument when the trial is not
// completed, Interrupted on Ctrl-C.
Reproduction reproduce_trial(Store& store, const SweepInfo& sweep, const TrialRecord& trial,
                             const std::string& device);

}  // namespace eegsweep
