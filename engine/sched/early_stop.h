#pragma once
// The sweep's `early_terminate` rules as the runner applies them: hyperband (W&B's, on fold 1's
// learning curve, checked after every epoch) and the fold-aware "forgiving" rule (after each
// stored fold). Each trial is judged against a reference fixed when it is claimed — the trials
// finished by then — so that, with the rounds of rounds.h, a decision never depends on timing.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/sched/train_unit.h"
#include "engine/sched/trial_store.h"
#include "engine/search/hyperband.h"

namespace eegsweep {

struct PruneReference {
  std::vector<std::vector<double>> first_fold_curves;  // losses per epoch, of each finished trial
  std::vector<double> incumbent_fold_losses;           // the best completed trial's, by fold
  int incumbent_number = 0;
};

class EarlyStopRules {
 public:
  explicit EarlyStopRules(const SweepSpec& spec);

  bool enabled() const { return hyperband_ || forgiving_; }
  // The finished trials of the store (each read once: a finished trial does not change).
  PruneReference reference(TrialStore& store);
  // hyperband, for a trial's first fold trained for up to `epochs` epochs; empty otherwise.
  PruneCheck first_fold_check(const PruneReference& reference, int epochs) const;
  // The forgiving rule after a stored fold; why the trial stops, or nothing.
  std::optional<std::string> after_fold(const PruneReference& reference, const FoldRecord& fold) const;

  // For `sweep worker` (worker_pruning.h), which builds its references from PostgreSQL: the
  // hyperband bands (epochs) of a fold trained for up to `epochs` epochs (none without
  // hyperband), whether the forgiving rule applies, and a metric as a loss (lower is better).
  std::vector<int> first_fold_bands(int epochs) const;
  bool forgiving() const { return forgiving_; }
  double loss_of(const Metrics& metrics) const;

 private:

  std::string metric_;
  bool maximize_;
  bool hyperband_ = false, forgiving_ = false;
  HyperbandSettings hyperband_settings_;
  struct Finished {
    std::vector<double> first_fold_curve, fold_losses;
  };
  std::map<std::int64_t, Finished> finished_;
};

}  // namespace eegsweep
