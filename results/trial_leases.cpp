// trial_leases: `sweep run`'s trials claimed under leases (schema.sql, version 3; issue 14). The
// SQLite twin of the PostgreSQL units queue (pg_store.cpp): a claim holds a lease that its
// process renews by heartbeat, anyone may reclaim a trial whose lease ran out, and a write goes
// in only with the attempt of the trial's latest claim, checked in the write's own transaction.
#include <cmath>
#include <cstdio>
#include <vector>

#include "results/detail/store_impl.h"

namespace eegsweep {

using store_detail::guarded;
using store_detail::write_transaction;

namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
// The end of a lease: now plus the bound modifier ("+S seconds"), in the format of kNow, so that
// the two compare as text. Each process reads its own host's clock: hosts sharing a file need
// clocks that agree to well within a lease (NTP does).
constexpr const char* kLeaseEnd = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)";

std::string lease_modifier(const std::string& path, double lease_seconds) {
  // Past about 30 years SQLite's date arithmetic stops being a date.
  if (!std::isfinite(lease_seconds) || lease_seconds <= 0 || lease_seconds > 1e9) {
    throw StoreError(path + ": a lease must last a positive number of seconds (at most 1e9), not " +
                     std::to_string(lease_seconds));
  }
  char modifier[64];
  std::snprintf(modifier, sizeof modifier, "+%.3f seconds", lease_seconds);
  return modifier;
}

// The lease still belongs to this claim: the trial runs, and no one has claimed it since.
bool lease_holds(SQLite::Database& db, const TrialLease& lease) {
  SQLite::Statement select(db,
                           "SELECT 1 FROM trials t JOIN trial_leases l ON l.trial_id = t.id "
                           "WHERE t.id = ? AND t.status = 'running' AND l.attempt = ?");
  select.bind(1, lease.trial_id);
  select.bind(2, lease.attempt);
  return select.executeStep();
}

void end_lease(SQLite::Database& db, std::int64_t trial_id) {
  SQLite::Statement update(db, "UPDATE trial_leases SET lease_until = NULL WHERE trial_id = ?");
  update.bind(1, trial_id);
  update.exec();
}

struct Candidate {
  std::int64_t id = 0;
  int number = 0;
  bool pending = false;
  std::string owner;
  std::int64_t lost_leases = 0;
  bool expired = false;  // running, and its lease ran out (or it never had one)
};

std::vector<Candidate> open_trials(SQLite::Database& db, std::int64_t sweep_id) {
  SQLite::Statement select(
      db, std::string("SELECT t.id, t.number, t.status, t.owner, COALESCE(l.lost_leases, 0), "
                      "l.lease_until IS NULL OR l.lease_until < ") +
              kNow +
              " FROM trials t LEFT JOIN trial_leases l ON l.trial_id = t.id WHERE t.sweep_id = ? "
              "AND t.status IN ('pending', 'running') ORDER BY t.number");
  select.bind(1, sweep_id);
  std::vector<Candidate> candidates;
  while (select.executeStep()) {
    Candidate c;
    c.id = select.getColumn(0).getInt64();
    c.number = select.getColumn(1).getInt();
    c.pending = select.getColumn(2).getString() == "pending";
    c.owner = store_detail::column_text(select.getColumn(3));
    c.lost_leases = select.getColumn(4).getInt64();
    c.expired = !c.pending && select.getColumn(5).getInt() != 0;
    candidates.push_back(std::move(c));
  }
  return candidates;
}

// A trial that lost its lease once too often fails rather than being handed out for ever (a
// trial that kills its process every time, e.g. by running out of memory).
void fail_lapsed_trial(SQLite::Database& db, const Candidate& trial, int max_retries) {
  const std::string error =
      "the lease ran out " + std::to_string(trial.lost_leases + 1) +
      (trial.lost_leases == 0 ? " time" : " times") + " (last owner " +
      (trial.owner.empty() ? std::string("?") : trial.owner) + "), more than --max-retries " +
      std::to_string(max_retries) + ": the process training this trial was killed or hung each time";
  SQLite::Statement fail(db, std::string("UPDATE trials SET status = 'failed', owner = NULL, "
                                         "error = ?, finished_at = ") +
                                 kNow + " WHERE id = ?");
  fail.bind(1, error);
  fail.bind(2, trial.id);
  fail.exec();
  SQLite::Statement count(db,
                          "INSERT INTO trial_leases (trial_id, lost_leases) VALUES (?, 1) ON "
                          "CONFLICT (trial_id) DO UPDATE SET lost_leases = lost_leases + 1, "
                          "lease_until = NULL");
  count.bind(1, trial.id);
  count.exec();
}

}  // namespace

std::optional<TrialClaim> Store::claim_trial(std::int64_t sweep_id, const std::string& owner,
                                             const LeasePolicy& policy, const OwnerAlive& owner_alive) {
  const std::string modifier = lease_modifier(impl_->path, policy.lease_seconds);
  struct Claimed {
    int number = 0;
    TrialLease lease;
  };
  const std::optional<Claimed> claimed = guarded(*impl_, "claim_trial", [&] {
    return write_transaction(*impl_, [&]() -> std::optional<Claimed> {
      SQLite::Database& db = *impl_->db;
      std::optional<Candidate> chosen;
      bool lapsed = false;
      for (const Candidate& c : open_trials(db, sweep_id)) {
        if (c.pending) {
          chosen = c;
          break;
        }
        // The lease decides, whatever host the owner is on. A dead owner on this host is a fast
        // path: it is reclaimed at once instead of after its lease (so a run killed with -9 is
        // resumed by the next run straight away). owner_alive() cannot see other hosts' processes
        // and says they live; their trials wait for the lease.
        const bool owner_dead = owner_alive && !owner_alive(c.owner);
        if (!c.expired && !owner_dead) continue;
        if (c.lost_leases >= policy.max_retries) {
          fail_lapsed_trial(db, c, policy.max_retries);
          continue;
        }
        chosen = c;
        lapsed = true;
        break;
      }
      if (!chosen) return std::nullopt;

      SQLite::Statement lease(
          db, std::string("INSERT INTO trial_leases (trial_id, attempt, lost_leases, lease_until) "
                          "VALUES (?, 1, ?, ") +
                  kLeaseEnd +
                  ") ON CONFLICT (trial_id) DO UPDATE SET attempt = attempt + 1, lost_leases = "
                  "lost_leases + excluded.lost_leases, lease_until = excluded.lease_until "
                  "RETURNING attempt");
      lease.bind(1, chosen->id);
      lease.bind(2, lapsed ? 1 : 0);
      lease.bind(3, modifier);
      if (!lease.executeStep()) throw StoreError(impl_->path + ": claim_trial: no lease row written");
      Claimed result;
      result.number = chosen->number;
      result.lease = TrialLease{chosen->id, lease.getColumn(0).getInt64()};
      lease.reset();

      SQLite::Statement update(db, std::string("UPDATE trials SET status = 'running', owner = ?, "
                                               "error = NULL, finished_at = NULL, started_at = ") +
                                       kNow + " WHERE id = ?");
      update.bind(1, owner);
      update.bind(2, chosen->id);
      update.exec();
      return result;
    });
  });
  if (!claimed) return std::nullopt;
  std::optional<TrialRecord> record = trial(sweep_id, claimed->number);
  if (!record) return std::nullopt;  // deleted in between: nothing to train
  return TrialClaim{*record, claimed->lease};
}

bool Store::renew_lease(const TrialLease& lease, double lease_seconds) {
  const std::string modifier = lease_modifier(impl_->path, lease_seconds);
  return guarded(*impl_, "renew_lease", [&] {
    return write_transaction(*impl_, [&] {
      SQLite::Statement update(*impl_->db,
                               std::string("UPDATE trial_leases SET lease_until = ") + kLeaseEnd +
                                   " WHERE trial_id = ? AND attempt = ? AND EXISTS (SELECT 1 FROM "
                                   "trials WHERE id = trial_leases.trial_id AND status = 'running')");
      update.bind(1, modifier);
      update.bind(2, lease.trial_id);
      update.bind(3, lease.attempt);
      return update.exec() == 1;
    });
  });
}

bool Store::record_fold(const TrialLease& lease, const FoldRecord& fold) {
  return guarded(*impl_, "record_fold", [&] {
    return write_transaction(*impl_, [&] {
      if (!lease_holds(*impl_->db, lease)) return false;
      store_detail::write_fold(*impl_, lease.trial_id, fold);
      return true;
    });
  });
}

bool Store::finish_trial(const TrialLease& lease, TrialStatus status, const std::string& error,
                         std::optional<double> cv_mean, std::optional<double> cv_std) {
  return guarded(*impl_, "finish_trial", [&] {
    return write_transaction(*impl_, [&] {
      if (!lease_holds(*impl_->db, lease)) return false;
      store_detail::write_trial_finished(*impl_, lease.trial_id, status, error, cv_mean, cv_std);
      end_lease(*impl_->db, lease.trial_id);
      return true;
    });
  });
}

bool Store::release_trial(const TrialLease& lease) {
  return guarded(*impl_, "release_trial", [&] {
    return write_transaction(*impl_, [&] {
      if (!lease_holds(*impl_->db, lease)) return false;
      store_detail::write_trial_released(*impl_, lease.trial_id);
      end_lease(*impl_->db, lease.trial_id);
      return true;
    });
  });
}

}  // namespace eegsweep
