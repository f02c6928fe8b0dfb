#pragma once
// W&B's `early_terminate: {type: hyperband}` (wandb/sweeps, hyperband_stopping.py), judged on
// learning curves of one epoch per iteration. Values are losses: lower is better (a maximized
// metric is negated before it comes here).

#include <optional>
#include <vector>

namespace eegsweep {

struct HyperbandSettings {
  int min_iter = 0;  // bands int(min_iter · eta^k), k = 0, 1, … (when max_iter is 0)
  int max_iter = 0;  // bands int(max_iter / eta^k), k = 1 .. s (wins over min_iter)
  int s = 0;
  double eta = 3;    // > 1
  bool strict = true;  // W&B's code default since 2024 (its docs still say false)
};

// Ascending, each ≥ 1 and at most `most_epochs` (a band no trial can reach is left out), without
// repeats. 27, s = 2, eta = 3 → [3, 9].
std::vector<int> hyperband_bands(const HyperbandSettings& settings, int most_epochs);

struct HyperbandStop {
  int band = 0;        // iterations (epochs)
  double cutoff = 0;   // element floor(n / eta) of the sorted values at the band
  double value = 0;    // the trial's value that was worse than the cut-off
};

// Whether a trial whose curve is `curve` (one loss per epoch so far) stops, judged at the largest
// band its curve has reached. Every curve of `others` that reached the band contributes its value
// at the band, and so does the trial's own; sorted ascending, the cut-off is element
// floor(n / eta). The trial's value is its value at the band (strict) or its best so far (not
// strict); it stops only when that value is above the cut-off: ties survive, and a trial alone
// at a band survives.
std::optional<HyperbandStop> hyperband_check(const std::vector<int>& bands, double eta, bool strict,
                                             const std::vector<double>& curve,
                                             const std::vector<std::vector<double>>& others);

}  // namespace eegsweep
