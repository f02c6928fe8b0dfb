// The PostgreSQL store behind `sweep worker`: schema creation, sweeps and trials under advisory
// locks, and the unit queue (claim, heartbeat, record, fail, release). Reads for the read verbs
// go through a SQLite snapshot instead (pg_pull.cpp).

#include "results/pg_store.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "results/detail/pg_connection.h"
#include "results/detail/record_rows.h"
#include "results/detail/store_impl.h"
#include "results/schema_pg_sql.h"

namespace eegsweep {

using store_detail::PgConnection;
using store_detail::PgParam;
using store_detail::PgResult;
using store_detail::pg_transaction;

namespace {

// Advisory lock keys (two int4s): a namespace of ours, then what is locked.
constexpr const char* kLockSchema = "SELECT pg_advisory_xact_lock(1701144403, 0)";
constexpr const char* kLockSweepName = "SELECT pg_advisory_xact_lock(1701144403, hashtext($1))";
constexpr const char* kLockTrials = "SELECT pg_advisory_xact_lock(1701144404, $1::int)";
constexpr const char* kTryLockFinal = "SELECT pg_try_advisory_lock(1701144405, $1::int)";
constexpr const char* kUnlockFinal = "SELECT pg_advisory_unlock(1701144405, $1::int)";

// The same ISO-8601 UTC text as SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', 'now').
constexpr const char* kNow =
    "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

PgParam text(const std::string& value) { return value; }
PgParam integer(std::int64_t value) { return std::to_string(value); }
// NaN is stored as NULL, as SQLite does; %.17g reads back as the same double.
PgParam real(double value) {
  if (std::isnan(value)) return std::nullopt;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return std::string(buffer);
}
PgParam optional_real(const std::optional<double>& value) {
  return value ? real(*value) : std::nullopt;
}

constexpr const char* kTrialColumns =
    "t.id, t.sweep_id, t.number, t.params_json, t.params_hash, t.seed, t.status, t.error, "
    "t.cv_mean, t.cv_std, t.started_at, t.finished_at, "
    "(SELECT COUNT(*) FROM folds f WHERE f.trial_id = t.id)";

TrialRecord read_trial(const PgResult& r, int row) {
  TrialRecord trial;
  trial.id = r.integer(row, 0);
  trial.sweep_id = r.integer(row, 1);
  trial.number = static_cast<int>(r.integer(row, 2));
  trial.params_json = r.text(row, 3);
  trial.params_hash = r.text(row, 4);
  trial.seed = store_detail::parse_seed(r.text(row, 5));
  trial.status = parse_status(r.text(row, 6));
  trial.error = r.text(row, 7);
  if (!r.is_null(row, 8)) trial.cv_mean = r.real(row, 8);
  if (!r.is_null(row, 9)) trial.cv_std = r.real(row, 9);
  trial.started_at = r.text(row, 10);
  trial.finished_at = r.text(row, 11);
  trial.folds_done = static_cast<int>(r.integer(row, 12));
  return trial;
}

// Every cell of a matrix in one multi-row INSERT (one round trip instead of classes²).
void insert_confusion(PgConnection& pg, std::int64_t trial_id, std::optional<int> fold,
                      std::optional<std::int64_t> final_run_id, const ConfusionMatrix& confusion) {
  if (confusion.classes <= 0) return;
  std::string sql = "INSERT INTO confusion (trial_id, fold, final_run_id, true_class, "
                    "predicted_class, count) VALUES ";
  std::vector<PgParam> params = {integer(trial_id),
                                 fold ? integer(*fold) : PgParam(),
                                 final_run_id ? integer(*final_run_id) : PgParam()};
  for (int truth = 0; truth < confusion.classes; ++truth) {
    for (int predicted = 0; predicted < confusion.classes; ++predicted) {
      const std::size_t n = params.size();
      sql += (n > 3 ? ", " : "") + std::string("($1, $2::bigint, $3::bigint, $") +
             std::to_string(n + 1) + ", $" + std::to_string(n + 2) + ", $" +
             std::to_string(n + 3) + ")";
      params.push_back(integer(truth));
      params.push_back(integer(predicted));
      params.push_back(integer(static_cast<std::int64_t>(confusion.at(truth, predicted))));
    }
  }
  pg.exec(sql, params, "insert confusion");
}

// The claim holds: this owner, this attempt, still running.
constexpr const char* kClaimHolds =
    "trial_id = $1 AND fold = $2 AND owner = $3 AND attempt = $4 AND status = 'running'";

std::vector<PgParam> claim_params(const UnitClaim& claim, const std::string& owner) {
  return {integer(claim.trial.id), integer(claim.fold), text(owner), integer(claim.attempt)};
}

void create_or_check_schema(PgConnection& pg) {
  pg_transaction(pg, [&] {
    pg.exec(kLockSchema, {}, "lock the schema");
    const PgResult found = pg.exec("SELECT to_regclass('schema_version') IS NOT NULL", {}, "schema");
    if (found.text(0, 0) != "t") {
      const PgResult tables = pg.exec(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = "
          "current_schema() LIMIT 1", {}, "schema");
      if (tables.rows() > 0) {
        throw StoreError(pg.name() + " is a PostgreSQL database but not an eegsweep results "
                         "store (it has a table '" + tables.text(0, 0) + "' and no schema_version)");
      }
      pg.exec_script(kSchemaPgSql, "create the schema");
      pg.exec("INSERT INTO schema_version (version) VALUES ($1)", {integer(kSchemaVersion)},
              "schema_version");
      return;
    }
    const PgResult version = pg.exec("SELECT MAX(version) FROM schema_version", {}, "schema_version");
    if (version.is_null(0, 0)) {
      throw StoreError(pg.name() + ": the schema_version table is empty; not a complete eegsweep "
                       "results store");
    }
    if (version.integer(0, 0) > kSchemaVersion) {
      throw StoreError(pg.name() + " was written by eegsweep schema version " +
                       version.text(0, 0) + "; this build reads up to " +
                       std::to_string(kSchemaVersion) + " — upgrade eegsweep");
    }
  });
}

}  // namespace

PgStore::PgStore(const std::string& url) : pg_(std::make_unique<PgConnection>(url)) {
  create_or_check_schema(*pg_);
}

PgStore::~PgStore() = default;

const std::string& PgStore::name() const { return pg_->name(); }

std::int64_t PgStore::open_sweep(const SweepInfo& info, bool fresh) {
  return pg_transaction(*pg_, [&]() -> std::int64_t {
    pg_->exec(kLockSweepName, {text(info.name)}, "lock the sweep");
    if (!fresh) {
      const PgResult found = pg_->exec(
          "SELECT id FROM sweeps WHERE name = $1 AND identity_hash = $2 AND dataset_hash = $3 "
          "ORDER BY id DESC LIMIT 1",
          {text(info.name), text(info.identity_hash), text(info.dataset_hash)}, "open_sweep");
      if (found.rows() > 0) return found.integer(0, 0);
    }
    const PgResult inserted = pg_->exec(
        std::string("INSERT INTO sweeps (name, description, spec_path, spec_text, identity_hash, "
                    "overrides_json, dataset_source, dataset_hash, dataset_rows, "
                    "dataset_features, class_names, metric_name, maximize, seed, engine_version, "
                    "host, device, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                    "$11, $12, $13, $14, $15, $16, $17, ") +
            kNow + ") RETURNING id",
        {text(info.name), text(info.description), text(info.spec_path), text(info.spec_text),
         text(info.identity_hash),
         text(info.overrides_json.empty() ? std::string("[]") : info.overrides_json),
         text(info.dataset_source), text(info.dataset_hash), integer(info.dataset_rows),
         integer(info.dataset_features), text(nlohmann::json(info.class_names).dump()),
         text(info.metric_name), integer(info.maximize ? 1 : 0),
         text(store_detail::seed_text(info.seed)), text(info.engine_version), text(info.host),
         text(info.device)},
        "open_sweep");
    return inserted.integer(0, 0);
  });
}

std::vector<TrialRecord> PgStore::trials(std::int64_t sweep_id) {
  const PgResult r = pg_->exec(std::string("SELECT ") + kTrialColumns +
                                   " FROM trials t WHERE t.sweep_id = $1 ORDER BY t.number",
                               {integer(sweep_id)}, "trials");
  std::vector<TrialRecord> out;
  for (int row = 0; row < r.rows(); ++row) out.push_back(read_trial(r, row));
  return out;
}

int PgStore::generate_trials(std::int64_t sweep_id, int folds, const SuggestTrials& suggest) {
  return pg_transaction(*pg_, [&] {
    pg_->exec(kLockTrials, {integer(sweep_id)}, "lock the trials");
    const std::vector<TrialRecord> stored = trials(sweep_id);
    int added = 0;
    for (const TrialRecord& trial : suggest(stored)) {
      const PgResult known = pg_->exec(
          "SELECT 1 FROM trials WHERE sweep_id = $1 AND params_hash = $2",
          {integer(sweep_id), text(trial.params_hash)}, "add_trials");
      if (known.rows() > 0) continue;
      // As in the SQLite store: a number taken by a trial of other parameters goes to the end.
      const PgResult number = pg_->exec(
          "SELECT CASE WHEN EXISTS (SELECT 1 FROM trials WHERE sweep_id = $1 AND number = $2) "
          "THEN (SELECT MAX(number) + 1 FROM trials WHERE sweep_id = $1) ELSE $2 END",
          {integer(sweep_id), integer(trial.number)}, "add_trials");
      const PgResult inserted = pg_->exec(
          "INSERT INTO trials (sweep_id, number, params_json, params_hash, seed, status) VALUES "
          "($1, $2, $3, $4, $5, 'pending') RETURNING id",
          {integer(sweep_id), text(number.text(0, 0)),
           text(trial.params_json.empty() ? std::string("{}") : trial.params_json),
           text(trial.params_hash), text(store_detail::seed_text(trial.seed))},
          "add_trials");
      const std::int64_t trial_id = inserted.integer(0, 0);
      std::vector<std::pair<std::string, std::string>> params = trial.params;
      if (params.empty() && !trial.params_json.empty()) {
        store_detail::flatten_params(nlohmann::json::parse(trial.params_json, nullptr, false), "", params);
      }
      for (const auto& [name, value] : params) {
        pg_->exec("INSERT INTO trial_params (trial_id, name, value, value_num) VALUES ($1, $2, "
                  "$3, $4) ON CONFLICT (trial_id, name) DO UPDATE SET value = EXCLUDED.value, "
                  "value_num = EXCLUDED.value_num",
                  {integer(trial_id), text(name), text(value), optional_real(store_detail::numeric_value(value))},
                  "add_trials");
      }
      pg_->exec("INSERT INTO units (trial_id, fold) SELECT $1, g FROM generate_series(0, $2 - 1) g",
                {integer(trial_id), integer(folds)}, "add_trials");
      ++added;
    }
    return added;
  });
}

std::optional<UnitClaim> PgStore::claim_unit(std::int64_t sweep_id, const std::string& owner,
                                             const LeasePolicy& policy, ClaimOrder order) {
  // One statement (one round trip). First, units whose lease lapsed once too often fail, with
  // their trials and those trials' pending units: a unit that kills its worker every time must not
  // be handed out for ever. Then the claim, which skips such trials.
  const PgResult r = pg_->exec(
      std::string(
          "WITH gone AS ("
          "  UPDATE units u SET status = 'failed', owner = NULL, lost_leases = u.lost_leases + 1,"
          "    error = 'the lease ran out ' || (u.lost_leases + 1) || ' times (last worker ' ||"
          "            COALESCE(u.owner, '?') || '): the worker was killed or hung'"
          "  FROM trials t WHERE t.id = u.trial_id AND t.sweep_id = $1 AND u.status = 'running'"
          "    AND u.lease_until < now() AND u.lost_leases >= $4"
          "  RETURNING u.trial_id, u.fold, u.error), "
          "siblings AS ("
          "  UPDATE units s SET status = 'failed', error = 'fold ' || gone.fold || ' failed'"
          "  FROM gone WHERE s.trial_id = gone.trial_id AND s.status = 'pending'), "
          "failed AS ("
          "  UPDATE trials t SET status = 'failed', owner = NULL, error = 'fold ' || gone.fold || "
          "': ' || gone.error, finished_at = ") +
          kNow +
          "  FROM gone WHERE t.id = gone.trial_id), "
          "claimed AS ("
          "  UPDATE units u SET status = 'running', owner = $2, attempt = u.attempt + 1,"
          "    lost_leases = u.lost_leases + CASE WHEN u.status = 'running' THEN 1 ELSE 0 END,"
          "    lease_until = now() + make_interval(secs => $3::float8)"
          "  FROM (SELECT c.trial_id, c.fold FROM units c JOIN trials t ON t.id = c.trial_id"
          "        WHERE t.sweep_id = $1 AND t.status IN ('pending', 'running')"
          "          AND (c.status = 'pending' OR (c.status = 'running' AND c.lease_until < now()"
          "               AND c.lost_leases < $4))"
          "          AND NOT EXISTS (SELECT 1 FROM units x WHERE x.trial_id = c.trial_id AND"
          "               x.status = 'running' AND x.lease_until < now() AND x.lost_leases >= $4)"
          "        ORDER BY " +
          (order == ClaimOrder::fold_major ? "c.fold, c.trial_id" : "c.trial_id, c.fold") +
          " LIMIT 1 FOR UPDATE OF c SKIP LOCKED) next"
          "  WHERE u.trial_id = next.trial_id AND u.fold = next.fold"
          "  RETURNING u.trial_id, u.fold, u.attempt), "
          "trial AS ("
          "  UPDATE trials t SET status = 'running', owner = $2, started_at = "
          "COALESCE(t.started_at, " +
          kNow +
          ")"
          "  FROM claimed WHERE t.id = claimed.trial_id RETURNING t.*) "
          "SELECT t.id, t.sweep_id, t.number, t.params_json, t.params_hash, t.seed, t.status, "
          "t.error, t.cv_mean, t.cv_std, t.started_at, t.finished_at, 0, claimed.fold, "
          "claimed.attempt FROM claimed JOIN trial t ON t.id = claimed.trial_id",
      {integer(sweep_id), text(owner), real(policy.lease_seconds), integer(policy.max_retries)},
      "claim_unit");
  if (r.rows() == 0) return std::nullopt;
  UnitClaim claim;
  claim.trial = read_trial(r, 0);
  claim.fold = static_cast<int>(r.integer(0, 13));
  claim.attempt = r.integer(0, 14);
  return claim;
}

bool PgStore::renew_lease(const UnitClaim& claim, const std::string& owner, double lease_seconds) {
  std::vector<PgParam> params = claim_params(claim, owner);
  params.push_back(real(lease_seconds));
  const PgResult r = pg_->exec(std::string("UPDATE units SET lease_until = now() + "
                                           "make_interval(secs => $5::float8) WHERE ") +
                                   kClaimHolds,
                               params, "renew_lease");
  return r.affected_rows() == 1;
}

bool PgStore::record_unit(const UnitClaim& claim, const std::string& owner, const FoldRecord& fold,
                          const CvStatistics& cv) {
  const std::int64_t trial_id = claim.trial.id;
  if (fold.confusion.classes < 0 ||
      fold.confusion.counts.size() != static_cast<std::size_t>(fold.confusion.classes) * fold.confusion.classes) {
    throw StoreError(name() + ": record_unit(trial " + std::to_string(trial_id) + ", fold " +
                     std::to_string(fold.fold) + "): confusion matrix of " +
                     std::to_string(fold.confusion.classes) + " classes holds " +
                     std::to_string(fold.confusion.counts.size()) + " counts instead of classes²");
  }
  // One statement, so one round trip and atomic by itself: the unit is marked done only while the
  // claim holds (a worker that took it over waits for the row lock), and the fold, its epochs and
  // its confusion cells are inserted only from that row. No fold is ever replaced: a fold exists
  // only for a done unit (every done unit has one, but those a pruned trial left untrained:
  // prune_unit), and a done unit is never claimed again. The parents inserted
  // here satisfy the children's foreign keys, which PostgreSQL checks at the statement's end.
  std::vector<PgParam> params = claim_params(claim, owner);  // $1 trial, $2 fold, $3 owner, $4 attempt
  auto next = [&](PgParam value, const char* type) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size()) + "::" + type;
  };
  std::string sql =
      "WITH held AS (UPDATE units SET status = 'done', owner = NULL, lease_until = NULL, error = "
      "NULL WHERE " + std::string(kClaimHolds) + " RETURNING trial_id), "
      "f AS (INSERT INTO folds (trial_id, fold, train_rows, val_rows, best_epoch, loss, accuracy, "
      "precision_macro, recall_macro, f1_macro, per_class, seconds, backend_detail) SELECT $1, $2";
  for (auto [value, type] : {std::pair{integer(fold.train_rows), "bigint"},
                             {integer(fold.val_rows), "bigint"}, {integer(fold.best_epoch), "bigint"},
                             {real(fold.val.loss), "float8"}, {real(fold.val.accuracy), "float8"},
                             {real(fold.val.precision_macro), "float8"},
                             {real(fold.val.recall_macro), "float8"}, {real(fold.val.f1_macro), "float8"},
                             {text(store_detail::per_class_json(fold.val)), "text"},
                             {real(fold.seconds), "float8"}, {text(fold.backend_detail), "text"}}) {
    sql += ", " + next(value, type);
  }
  sql += " FROM held RETURNING trial_id)";
  if (!fold.epochs.empty()) {
    sql += ", e AS (INSERT INTO epochs (trial_id, fold, epoch, train_loss, val_loss, val_accuracy, "
           "val_precision_macro, val_recall_macro, val_f1_macro, seconds) SELECT $1, $2, v.* FROM "
           "held, (VALUES ";
    for (std::size_t i = 0; i < fold.epochs.size(); ++i) {
      const EpochRecord& e = fold.epochs[i];
      sql += (i ? ", (" : "(") + next(integer(e.epoch), "bigint");
      for (const PgParam& value : {real(e.train_loss), real(e.val.loss), real(e.val.accuracy),
                                   real(e.val.precision_macro), real(e.val.recall_macro),
                                   real(e.val.f1_macro), real(e.seconds)}) {
        sql += ", " + next(value, "float8");
      }
      sql += ")";
    }
    sql += ") AS v)";
  }
  if (fold.confusion.classes > 0) {
    sql += ", c AS (INSERT INTO confusion (trial_id, fold, true_class, predicted_class, count) "
           "SELECT $1, $2, v.* FROM held, (VALUES ";
    for (int truth = 0; truth < fold.confusion.classes; ++truth) {
      for (int predicted = 0; predicted < fold.confusion.classes; ++predicted) {
        sql += (truth || predicted ? ", (" : "(") + next(integer(truth), "bigint") + ", " +
               next(integer(predicted), "bigint") + ", " +
               next(integer(static_cast<std::int64_t>(fold.confusion.at(truth, predicted))), "bigint") + ")";
      }
    }
    sql += ") AS v)";
  }
  sql += " SELECT COUNT(*) FROM f";
  const bool stored = pg_->exec(sql, params, "record_unit").integer(0, 0) == 1;
  if (!stored) return false;
  // Each worker looks after its own commit, so the last of a trial's folds to commit always sees
  // every fold; two that see it at once write the same statistics.
  const PgResult left = pg_->exec("SELECT COUNT(*) FROM units WHERE trial_id = $1 AND status <> 'done'",
                                  {integer(trial_id)}, "record_unit");
  if (left.integer(0, 0) == 0) complete_trial(trial_id, cv);
  return true;
}

void PgStore::complete_trial(std::int64_t trial_id, const CvStatistics& cv) {
  const auto [mean, std] = cv(folds(trial_id));
  pg_->exec(std::string("UPDATE trials SET status = 'completed', error = NULL, owner = NULL, "
                        "cv_mean = $2, cv_std = $3, finished_at = ") +
                kNow + " WHERE id = $1 AND status NOT IN ('failed', 'pruned')",
            {integer(trial_id), real(mean), real(std)}, "finish the trial");
}

int PgStore::complete_done_trials(std::int64_t sweep_id, const CvStatistics& cv) {
  const PgResult done = pg_->exec(
      "SELECT t.id FROM trials t WHERE t.sweep_id = $1 AND t.status IN ('pending', 'running') AND "
      "EXISTS (SELECT 1 FROM units u WHERE u.trial_id = t.id) AND NOT EXISTS (SELECT 1 FROM units "
      "u WHERE u.trial_id = t.id AND u.status <> 'done') ORDER BY t.id",
      {integer(sweep_id)}, "complete_done_trials");
  for (int row = 0; row < done.rows(); ++row) complete_trial(done.integer(row, 0), cv);
  return done.rows();
}

bool PgStore::fail_unit(const UnitClaim& claim, const std::string& owner, const std::string& error) {
  return pg_transaction(*pg_, [&] {
    std::vector<PgParam> params = claim_params(claim, owner);
    params.push_back(text(error));
    const PgResult held = pg_->exec(
        std::string("UPDATE units SET status = 'failed', owner = NULL, lease_until = NULL, "
                    "error = $5 WHERE ") + kClaimHolds,
        params, "fail_unit");
    if (held.affected_rows() != 1) return false;
    fail_trial(claim.trial.id, error);
    return true;
  });
}

void PgStore::fail_trial(std::int64_t trial_id, const std::string& error) {
  pg_->exec("UPDATE units SET status = 'failed', error = COALESCE(error, 'another fold failed') "
            "WHERE trial_id = $1 AND status = 'pending'",
            {integer(trial_id)}, "fail_trial");
  // A pruned trial stays pruned (as in `sweep run`, a fold of it still training is ignored).
  pg_->exec(std::string("UPDATE trials SET status = 'failed', error = $2, owner = NULL, "
                        "cv_mean = NULL, cv_std = NULL, finished_at = ") +
                kNow + " WHERE id = $1 AND status <> 'pruned'",
            {integer(trial_id), text(error)}, "fail_trial");
}

void PgStore::release_unit(const UnitClaim& claim, const std::string& owner) {
  pg_transaction(*pg_, [&] {
    // A unit of a trial pruned meanwhile is not trained again (as prune_unit leaves it).
    pg_->exec(std::string("UPDATE units SET owner = NULL, lease_until = NULL, status = CASE WHEN "
                          "(SELECT status FROM trials WHERE id = $1) = 'pruned' THEN 'done' ELSE "
                          "'pending' END, error = CASE WHEN (SELECT status FROM trials WHERE id = "
                          "$1) = 'pruned' THEN 'not trained: the trial was pruned' ELSE error END WHERE ") +
                  kClaimHolds,
              claim_params(claim, owner), "release_unit");
    pg_->exec("UPDATE trials SET status = 'pending', owner = NULL WHERE id = $1 AND status = "
              "'running' AND NOT EXISTS (SELECT 1 FROM units WHERE trial_id = $1 AND status = "
              "'running')",
              {integer(claim.trial.id)}, "release_unit");
  });
}

UnitCounts PgStore::unit_counts(std::int64_t sweep_id) {
  const PgResult r = pg_->exec(
      // A pruned trial's unit that another worker trains is not waited for (nor reclaimed).
      "SELECT COUNT(*) FILTER (WHERE u.status = 'pending' AND t.status NOT IN ('failed', 'pruned')), "
      "COUNT(*) FILTER (WHERE u.status = 'running' AND t.status NOT IN ('failed', 'pruned')), "
      "COUNT(*) FILTER (WHERE u.status = 'done'), COUNT(*) FILTER (WHERE u.status = 'failed') "
      "FROM units u JOIN trials t ON t.id = u.trial_id WHERE t.sweep_id = $1",
      {integer(sweep_id)}, "unit_counts");
  UnitCounts counts;
  counts.pending = static_cast<int>(r.integer(0, 0));
  counts.running = static_cast<int>(r.integer(0, 1));
  counts.done = static_cast<int>(r.integer(0, 2));
  counts.failed = static_cast<int>(r.integer(0, 3));
  return counts;
}

std::vector<FoldRecord> PgStore::folds(std::int64_t trial_id) {
  const PgResult r = pg_->exec(
      "SELECT fold, train_rows, val_rows, best_epoch, loss, accuracy, precision_macro, "
      "recall_macro, f1_macro, per_class, seconds, backend_detail FROM folds WHERE trial_id = $1 "
      "ORDER BY fold",
      {integer(trial_id)}, "folds");
  std::vector<FoldRecord> out;
  for (int row = 0; row < r.rows(); ++row) {
    FoldRecord f;
    f.fold = static_cast<int>(r.integer(row, 0));
    f.train_rows = static_cast<int>(r.integer(row, 1));
    f.val_rows = static_cast<int>(r.integer(row, 2));
    f.best_epoch = static_cast<int>(r.integer(row, 3));
    f.val.loss = r.real(row, 4);
    f.val.accuracy = r.real(row, 5);
    f.val.precision_macro = r.real(row, 6);
    f.val.recall_macro = r.real(row, 7);
    f.val.f1_macro = r.real(row, 8);
    store_detail::read_per_class(r.text(row, 9), f.val);
    f.seconds = r.real(row, 10);
    f.backend_detail = r.text(row, 11);
    out.push_back(std::move(f));
  }
  return out;
}

std::optional<TrialRecord> PgStore::best_trial(std::int64_t sweep_id) {
  const PgResult r = pg_->exec(
      std::string("SELECT ") + kTrialColumns +
          " FROM trials t JOIN sweeps s ON s.id = t.sweep_id WHERE t.sweep_id = $1 AND t.status "
          "= 'completed' AND t.cv_mean IS NOT NULL ORDER BY CASE WHEN s.maximize = 1 THEN "
          "-t.cv_mean ELSE t.cv_mean END, t.number LIMIT 1",
      {integer(sweep_id)}, "best_trial");
  if (r.rows() == 0) return std::nullopt;
  return read_trial(r, 0);
}

std::optional<FinalRunRecord> PgStore::final_run(std::int64_t trial_id) {
  const PgResult r = pg_->exec(
      "SELECT id, epochs, loss, accuracy, precision_macro, recall_macro, f1_macro, "
      "weights_hash, device, seconds, created_at FROM final_runs WHERE trial_id = $1 AND kind = "
      "'final'",
      {integer(trial_id)}, "final_run");
  if (r.rows() == 0) return std::nullopt;
  FinalRunRecord run;
  run.id = r.integer(0, 0);
  run.trial_id = trial_id;
  run.kind = "final";
  run.epochs = static_cast<int>(r.integer(0, 1));
  run.test.loss = r.real(0, 2);
  run.test.accuracy = r.real(0, 3);
  run.test.precision_macro = r.real(0, 4);
  run.test.recall_macro = r.real(0, 5);
  run.test.f1_macro = r.real(0, 6);
  run.weights_hash = r.text(0, 7);
  run.device = r.text(0, 8);
  run.seconds = r.real(0, 9);
  run.created_at = r.text(0, 10);
  return run;
}

std::int64_t PgStore::record_final_run(const FinalRunRecord& run) {
  if (run.kind != "final" && run.kind != "reproduce") {
    throw StoreError(name() + ": final run kind '" + run.kind + "' is neither 'final' nor 'reproduce'");
  }
  return pg_transaction(*pg_, [&]() -> std::int64_t {
    const PgResult inserted = pg_->exec(
        std::string("INSERT INTO final_runs (trial_id, kind, epochs, loss, accuracy, "
                    "precision_macro, recall_macro, f1_macro, per_class, weights_hash, device, "
                    "seconds, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                    "$12, ") +
            kNow + ") ON CONFLICT (trial_id) WHERE kind = 'final' DO NOTHING RETURNING id",
        {integer(run.trial_id), text(run.kind), integer(run.epochs), real(run.test.loss),
         real(run.test.accuracy), real(run.test.precision_macro), real(run.test.recall_macro),
         real(run.test.f1_macro), text(store_detail::per_class_json(run.test)),
         text(run.weights_hash), text(run.device), real(run.seconds)},
        "record_final_run");
    if (inserted.rows() == 0) return final_run(run.trial_id)->id;  // another worker's, first
    const std::int64_t run_id = inserted.integer(0, 0);
    insert_confusion(*pg_, run.trial_id, std::nullopt, run_id, run.confusion);
    if (run.model) insert_rows(*pg_, store_detail::final_model_rows(run_id, *run.model, run.weights_hash));
    insert_rows(*pg_, store_detail::final_run_group_rows(run_id, run.test_groups));
    return run_id;
  });
}

bool PgStore::try_lock_final_run(std::int64_t sweep_id) {
  return pg_->exec(kTryLockFinal, {integer(sweep_id)}, "lock the final run").text(0, 0) == "t";
}

void PgStore::unlock_final_run(std::int64_t sweep_id) {
  pg_->exec(kUnlockFinal, {integer(sweep_id)}, "unlock the final run");
}

}  // namespace eegsweep
