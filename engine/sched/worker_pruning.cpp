#include "engine/sched/worker_pruning.h"

#include <algorithm>

namespace eegsweep {

WorkerPruning::WorkerPruning(const SweepSpec& spec, PgStore& store, std::int64_t sweep_id)
    : rules_(spec), store_(store), sweep_id_(sweep_id) {}

PruneCheck WorkerPruning::during_training(const UnitClaim& claim, int epochs) const {
  const std::vector<int> bands = rules_.first_fold_bands(epochs);
  if (claim.fold != 0 || bands.empty()) return {};
  return [this, bands, epochs, trial_id = claim.trial.id](
             const std::vector<EpochRecord>& history) -> std::optional<std::string> {
    const int reached = static_cast<int>(history.size());
    if (std::find(bands.begin(), bands.end(), reached) == bands.end()) return std::nullopt;
    PruneReference reference;
    try {
      for (const auto& curve : store_.first_fold_curves(sweep_id_, trial_id, reached)) {
        std::vector<double> losses;
        for (const EpochRecord& e : curve) losses.push_back(rules_.loss_of(e.val));
        reference.first_fold_curves.push_back(std::move(losses));
      }
    } catch (const StoreError&) {
      return std::nullopt;
    }
    return rules_.first_fold_check(reference, epochs)(history);
  };
}

std::optional<std::string> WorkerPruning::after_fold(const FoldRecord& fold) const {
  if (!rules_.forgiving()) return std::nullopt;
  PruneReference reference;
  // The incumbent as `sweep run` picks it: the best CV score, ties to the lower trial number.
  if (const std::optional<TrialRecord> best = store_.best_trial(sweep_id_)) {
    for (const FoldRecord& f : store_.folds(best->id)) reference.incumbent_fold_losses.push_back(rules_.loss_of(f.val));
    reference.incumbent_number = best->number;
  }
  return rules_.after_fold(reference, fold);
}

}  // namespace eegsweep
