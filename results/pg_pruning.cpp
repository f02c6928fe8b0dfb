// The PostgreSQL side of early termination in `sweep worker`: a trial pruned in one transaction
// with its stopping fold, and the stored fold-1 learning curves hyperband compares a trial with.

#include <cmath>
#include <cstdio>
#include <map>

#include "results/detail/pg_connection.h"
#include "results/pg_store.h"

namespace eegsweep {

using store_detail::PgParam;
using store_detail::PgResult;
using store_detail::pg_transaction;

namespace {

PgParam integer(std::int64_t value) { return std::to_string(value); }

// The same ISO-8601 UTC text as pg_store.cpp (and SQLite's strftime) writes.
constexpr const char* kNow =
    "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

}  // namespace

bool PgStore::prune_unit(const UnitClaim& claim, const std::string& owner, const FoldRecord& fold,
                         const std::string& reason, const CvStatistics& cv) {
  return pg_transaction(*pg_, [&] {
    // record_unit may complete the trial when this was its last unit; the update below, in the
    // same transaction, makes it pruned before anyone sees it completed.
    if (!record_unit(claim, owner, fold, cv)) return false;
    pg_->exec("UPDATE units SET status = 'done', error = 'not trained: the trial was pruned' "
              "WHERE trial_id = $1 AND status = 'pending'",
              {integer(claim.trial.id)}, "prune_unit");
    pg_->exec(std::string("UPDATE trials SET status = 'pruned', error = $2, owner = NULL, "
                          "cv_mean = NULL, cv_std = NULL, finished_at = ") +
                  kNow + " WHERE id = $1 AND status NOT IN ('pruned', 'failed')",
              {integer(claim.trial.id), reason}, "prune_unit");
    return true;
  });
}

std::vector<std::vector<EpochRecord>> PgStore::first_fold_curves(std::int64_t sweep_id,
                                                                 std::int64_t except_trial_id,
                                                                 int epochs) {
  const PgResult r = pg_->exec(
      "SELECT e.trial_id, e.epoch, e.train_loss, e.val_loss, e.val_accuracy, "
      "e.val_precision_macro, e.val_recall_macro, e.val_f1_macro FROM epochs e JOIN trials t ON "
      "t.id = e.trial_id WHERE t.sweep_id = $1 AND t.status <> 'failed' AND e.fold = 0 AND "
      "e.trial_id <> $2 AND e.epoch < $3 AND EXISTS (SELECT 1 FROM epochs x WHERE x.trial_id = "
      "e.trial_id AND x.fold = 0 AND x.epoch = $3 - 1) ORDER BY e.trial_id, e.epoch",
      {integer(sweep_id), integer(except_trial_id), integer(epochs)}, "first_fold_curves");
  std::map<std::int64_t, std::vector<EpochRecord>> curves;
  for (int row = 0; row < r.rows(); ++row) {
    EpochRecord e;
    e.epoch = static_cast<int>(r.integer(row, 1));
    e.train_loss = r.real(row, 2);
    e.val.loss = r.real(row, 3);
    e.val.accuracy = r.real(row, 4);
    e.val.precision_macro = r.real(row, 5);
    e.val.recall_macro = r.real(row, 6);
    e.val.f1_macro = r.real(row, 7);
    curves[r.integer(row, 0)].push_back(e);
  }
  std::vector<std::vector<EpochRecord>> out;
  for (auto& [trial_id, curve] : curves) out.push_back(std::move(curve));
  return out;
}

}  // namespace eegsweep
