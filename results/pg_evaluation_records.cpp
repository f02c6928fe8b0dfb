// Issue 11's per-sweep evaluation records in the PostgreSQL store: the splits and the linear
// baseline, written once per sweep by whichever worker takes the sweep's records lock first.
// The rows are the SQLite store's (detail/record_rows.h).

#include "results/detail/pg_connection.h"
#include "results/detail/record_rows.h"
#include "results/pg_store.h"

namespace eegsweep {

using store_detail::PgResult;
using store_detail::pg_transaction;

namespace {

// Held for the transaction: a worker that finds the records missing computes and stores them
// before the next one looks. (Key space as in pg_store.cpp: 1701144403-05 are taken there.)
constexpr const char* kLockSweepRecords = "SELECT pg_advisory_xact_lock(1701144406, $1::int)";

bool has_rows(store_detail::PgConnection& pg, const char* table, std::int64_t sweep_id) {
  const PgResult r = pg.exec(std::string("SELECT 1 FROM ") + table + " WHERE sweep_id = $1 LIMIT 1",
                             {std::to_string(sweep_id)}, table);
  return r.rows() > 0;
}

}  // namespace

void PgStore::record_splits(std::int64_t sweep_id, const SweepSplits& splits) {
  pg_transaction(*pg_, [&] {
    pg_->exec(kLockSweepRecords, {std::to_string(sweep_id)}, "lock the sweep's records");
    if (has_rows(*pg_, "split_folds", sweep_id)) return;
    insert_rows(*pg_, store_detail::split_fold_rows(sweep_id, splits));
    insert_rows(*pg_, store_detail::split_row_rows(sweep_id, splits));
  });
}

std::vector<BaselineFoldRecord> PgStore::record_baseline_once(
    std::int64_t sweep_id, const std::function<std::vector<BaselineFoldRecord>()>& compute) {
  return pg_transaction(*pg_, [&]() -> std::vector<BaselineFoldRecord> {
    pg_->exec(kLockSweepRecords, {std::to_string(sweep_id)}, "lock the sweep's records");
    if (has_rows(*pg_, "baseline_folds", sweep_id)) return {};
    std::vector<BaselineFoldRecord> folds = compute();
    insert_rows(*pg_, store_detail::baseline_fold_rows(sweep_id, folds));
    return folds;
  });
}

}  // namespace eegsweep
