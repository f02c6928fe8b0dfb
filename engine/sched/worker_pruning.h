#pragma once
// The sweep's `early_terminate` as `sweep worker` applies it: the same rules, cut-offs and reason
// texts as `sweep run` (early_stop.h, search/hyperband.h, search/forgiving.h), judged
// asynchronously against what other workers have stored so far.
//
// - hyperband: at each band epoch of a fold-1 unit (on its training thread) the trial's value is
//   compared with the values at that epoch of the stored fold-1 curves of every other trial that
//   reached it (completed, pruned or still running its later folds; not failed ones), read from
//   the store at that moment. Fold-1 units still training elsewhere are not seen (their epochs
//   are stored when the unit is), so a trial alone at a band — the first ones — survives.
// - cv_forgiving: after each fold a worker trained to its end, before it is recorded, the fold's
//   score is compared with the worst fold of the incumbent: the best trial completed so far.
// - A stopped trial: status pruned with the reason `sweep run` writes, the fold that stopped it
//   stored (for hyperband: the epochs it trained), its pending units done without a fold
//   (PgStore::prune_unit), its finished folds kept.
// - Claims take fold 1 of every stored trial before any later fold (ClaimOrder::fold_major).
//
// Not guaranteed: that two runs of the same sweep prune the same trials — a verdict depends on
// which trials other workers had stored when it was made. With one worker and -j 1 it is
// `sweep run -j 1`'s on a bayes sweep (every earlier trial has finished) and for hyperband alone
// on a grid (the same earlier fold-1 curves); not for cv_forgiving on a grid, whose fold-major
// claims complete the first trial (the incumbent) only after every trial's fold 1.

#include <cstdint>
#include <optional>
#include <string>

#include "engine/sched/early_stop.h"
#include "engine/sched/train_unit.h"
#include "results/pg_store.h"

namespace eegsweep {

class WorkerPruning {
 public:
  WorkerPruning(const SweepSpec& spec, PgStore& store, std::int64_t sweep_id);

  bool enabled() const { return rules_.enabled(); }
  ClaimOrder claim_order() const { return enabled() ? ClaimOrder::fold_major : ClaimOrder::trial_major; }
  // hyperband for a claimed fold-1 unit trained for up to `epochs` epochs, to be asked after every
  // epoch on its training thread; empty for other units and without hyperband. A store that
  // cannot answer at a band judges nothing (the main thread reports the store's failure).
  PruneCheck during_training(const UnitClaim& claim, int epochs) const;
  // cv_forgiving for a fold trained to its end, before it is recorded: why its trial stops, or
  // nothing.
  std::optional<std::string> after_fold(const FoldRecord& fold) const;

 private:
  EarlyStopRules rules_;
  PgStore& store_;
  std::int64_t sweep_id_;
};

}  // namespace eegsweep
