// The PostgreSQL store against a real server: its schema matches the SQLite one, units are
// claimed once each by concurrent workers, a worker whose lease was taken over cannot write, a
// unit that keeps losing its lease fails with the reason, and the read verbs' snapshot reads
// what was written.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "results/pg_store.h"
#include "tests/cluster/pg_test_server.h"
#include "tests/cluster/store_rows.h"

namespace eegsweep {
namespace {

using testing::fresh_database;
using testing::numbered_trials;
using testing::pg_rows;
using testing::pg_value;
using testing::sweep_row;

// A fold whose accuracy and backend text say who wrote it.
FoldRecord fold_record(int fold, double accuracy, const std::string& writer) {
  FoldRecord f;
  f.fold = fold;
  f.train_rows = 10;
  f.val_rows = 5;
  f.val.accuracy = accuracy;
  f.val.loss = 1 - accuracy;
  f.confusion = ConfusionMatrix(2);
  f.confusion.add(0, 0);
  f.confusion.add(1, 0);
  EpochRecord e;
  e.val = f.val;
  f.epochs = {e};
  f.backend_detail = writer;
  return f;
}

std::pair<double, double> mean_only(const std::vector<FoldRecord>& folds) {
  double sum = 0;
  for (const auto& f : folds) sum += f.val.accuracy;
  return {sum / folds.size(), 0.0};
}

SuggestTrials fixed(const std::vector<TrialRecord>& trials) {
  return [trials](const std::vector<TrialRecord>&) { return trials; };
}

// Polls the server (not a clock) until the unit's lease has run out by the server's time.
void wait_until_lease_lapsed(const std::string& url) {
  for (int i = 0; i < 500; ++i) {
    if (pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'running' AND lease_until >= now()") == "0") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL() << "the lease never ran out";
}

// table → its columns in order, from SQLite's own catalogue.
std::map<std::string, std::vector<std::string>> sqlite_schema(const std::string& schema_sql) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  db.exec(schema_sql);
  std::map<std::string, std::vector<std::string>> tables;
  SQLite::Statement names(db, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')");
  while (names.executeStep()) {
    const std::string table = names.getColumn(0).getString();
    SQLite::Statement columns(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
    columns.bind(1, table);
    while (columns.executeStep()) tables[table].push_back(columns.getColumn(0).getString());
  }
  return tables;
}

TEST(PgStore, SchemaHasTheSqliteTablesViewsAndColumns) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore store(url);  // creates schema_pg.sql
  std::ifstream file(std::string(EEGSWEEP_SOURCE_DIR) + "/results/schema.sql");
  std::stringstream text;
  text << file.rdbuf();
  const auto expected = sqlite_schema(text.str());
  ASSERT_GE(expected.size(), 9u);  // 8 tables and 2 views at least
  std::map<std::string, std::vector<std::string>> actual;
  for (const auto& row : pg_rows(url, "SELECT table_name, column_name FROM information_schema.columns "
                                      "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position")) {
    actual[row[0]].push_back(row[1]);
  }
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(pg_value(url, "SELECT version FROM schema_version"), std::to_string(kSchemaVersion));
}

TEST(PgStore, SecondOpenKeepsTheSchemaAndAForeignDatabaseIsRefused) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  {
    PgStore first(url);
    first.open_sweep(sweep_row("s"), false);
  }
  PgStore second(url);
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM sweeps"), "1");

  pg_rows(url, "CREATE TABLE customers (id int)");
  pg_rows(url, "DROP TABLE schema_version CASCADE");
  try {
    PgStore foreign(url);
    FAIL() << "a database with other tables and no schema_version was opened";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("not an eegsweep results store"), std::string::npos) << e.what();
  }
}

TEST(PgStore, UnitsAreClaimedInOrderAndATrialCompletesWithItsLastFold) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore store(url);
  const std::int64_t sweep = store.open_sweep(sweep_row("order"), false);
  EXPECT_EQ(store.generate_trials(sweep, 2, fixed(numbered_trials(2))), 2);
  EXPECT_EQ(store.generate_trials(sweep, 2, fixed(numbered_trials(2))), 0);  // identity: params_hash
  const LeasePolicy policy{30, 3};
  std::vector<std::pair<int, int>> order;
  std::vector<UnitClaim> claims;
  while (auto claim = store.claim_unit(sweep, "w", policy)) {
    order.emplace_back(claim->trial.number, claim->fold);
    claims.push_back(*claim);
  }
  EXPECT_EQ(order, (std::vector<std::pair<int, int>>{{1, 0}, {1, 1}, {2, 0}, {2, 1}}));
  EXPECT_TRUE(store.record_unit(claims[0], "w", fold_record(0, 0.5, "w"), mean_only));
  EXPECT_EQ(pg_value(url, "SELECT status FROM trials WHERE number = 1"), "running");
  EXPECT_TRUE(store.record_unit(claims[1], "w", fold_record(1, 0.75, "w"), mean_only));
  EXPECT_EQ(pg_value(url, "SELECT status || ' ' || cv_mean FROM trials WHERE number = 1"), "completed 0.625");
  const UnitCounts counts = store.unit_counts(sweep);
  EXPECT_EQ(counts.done, 2);
  EXPECT_EQ(counts.running, 2);
  EXPECT_EQ(counts.pending, 0);
}

TEST(PgStore, AWorkerWhoseLeaseWasTakenOverCannotWrite) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore slow(url), fast(url);
  const std::int64_t sweep = slow.open_sweep(sweep_row("lease"), false);
  slow.generate_trials(sweep, 1, fixed(numbered_trials(1)));

  const auto first = slow.claim_unit(sweep, "slow", LeasePolicy{0.2, 3});
  ASSERT_TRUE(first);
  EXPECT_FALSE(fast.claim_unit(sweep, "fast", LeasePolicy{30, 3}));  // held
  wait_until_lease_lapsed(url);
  const auto second = fast.claim_unit(sweep, "fast", LeasePolicy{30, 3});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->attempt, first->attempt + 1);

  EXPECT_FALSE(slow.renew_lease(*first, "slow", 30));
  EXPECT_FALSE(slow.record_unit(*first, "slow", fold_record(0, 0.1, "slow"), mean_only));
  EXPECT_FALSE(slow.fail_unit(*first, "slow", "boom"));
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM folds"), "0");
  EXPECT_TRUE(fast.record_unit(*second, "fast", fold_record(0, 0.9, "fast"), mean_only));
  EXPECT_FALSE(slow.record_unit(*first, "slow", fold_record(0, 0.1, "slow"), mean_only));
  EXPECT_EQ(pg_rows(url, "SELECT backend_detail, accuracy FROM folds"),
            (std::vector<std::vector<std::string>>{{"fast", "0.9"}}));
  EXPECT_EQ(pg_rows(url, "SELECT status, attempt, lost_leases FROM units"),
            (std::vector<std::vector<std::string>>{{"done", "2", "1"}}));
  EXPECT_EQ(pg_value(url, "SELECT status FROM trials"), "completed");
}

TEST(PgStore, AUnitThatKeepsLosingItsLeaseFailsWithTheReason) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore store(url);
  const std::int64_t sweep = store.open_sweep(sweep_row("retries"), false);
  store.generate_trials(sweep, 2, fixed(numbered_trials(1)));
  const LeasePolicy policy{0.05, 1};  // one lapse survived, the second fails the unit
  ASSERT_TRUE(store.claim_unit(sweep, "dies-1", policy));  // fold 0
  wait_until_lease_lapsed(url);
  const auto again = store.claim_unit(sweep, "dies-2", policy);  // fold 0 again, lapse 1
  ASSERT_TRUE(again);
  EXPECT_EQ(again->fold, 0);
  wait_until_lease_lapsed(url);
  const auto next = store.claim_unit(sweep, "w", policy);
  EXPECT_FALSE(next) << "claimed trial " << next->trial.number << " fold " << next->fold;
  EXPECT_EQ(pg_rows(url, "SELECT fold, status, lost_leases FROM units ORDER BY fold"),
            (std::vector<std::vector<std::string>>{{"0", "failed", "2"}, {"1", "failed", "0"}}));
  const std::string error = pg_value(url, "SELECT error FROM trials");
  EXPECT_EQ(pg_value(url, "SELECT status FROM trials"), "failed");
  EXPECT_NE(error.find("fold 0: the lease ran out 2 times (last worker dies-2)"), std::string::npos) << error;
  EXPECT_EQ(store.unit_counts(sweep).unfinished(), 0);
}

TEST(PgStore, ReleasedUnitsArePendingAgainWithoutCountingALapse) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore store(url);
  const std::int64_t sweep = store.open_sweep(sweep_row("release"), false);
  store.generate_trials(sweep, 1, fixed(numbered_trials(1)));
  const auto claim = store.claim_unit(sweep, "w", LeasePolicy{30, 0});
  ASSERT_TRUE(claim);
  store.release_unit(*claim, "w");
  EXPECT_EQ(pg_rows(url, "SELECT u.status, u.owner IS NULL, u.lost_leases, t.status FROM units u JOIN trials t ON t.id = u.trial_id"),
            (std::vector<std::vector<std::string>>{{"pending", "t", "0", "pending"}}));
  EXPECT_TRUE(store.claim_unit(sweep, "w", LeasePolicy{30, 0}));  // max_retries 0: still claimable
}

TEST(PgStore, EightConcurrentClaimersTakeEveryUnitExactlyOnce) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  std::int64_t sweep = 0;
  {
    PgStore store(url);
    sweep = store.open_sweep(sweep_row("race"), false);
    store.generate_trials(sweep, 5, fixed(numbered_trials(40)));  // 200 units
  }
  std::vector<std::vector<std::pair<std::int64_t, int>>> taken(8);
  std::vector<std::string> errors(8);
  std::vector<std::thread> threads;
  for (int w = 0; w < 8; ++w) {
    threads.emplace_back([&, w] {
      try {
        PgStore store(url);
        const std::string owner = "w" + std::to_string(w);
        while (auto claim = store.claim_unit(sweep, owner, LeasePolicy{60, 3})) {
          taken[w].emplace_back(claim->trial.id, claim->fold);
          if (!store.record_unit(*claim, owner, fold_record(claim->fold, 0.5, owner), mean_only)) {
            errors[w] += "refused; ";
          }
        }
      } catch (const std::exception& e) {
        errors[w] += e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::pair<std::int64_t, int>> all;
  std::size_t claims = 0;
  for (int w = 0; w < 8; ++w) {
    EXPECT_EQ(errors[w], "") << "worker " << w;
    claims += taken[w].size();
    all.insert(taken[w].begin(), taken[w].end());
  }
  EXPECT_EQ(claims, 200u);
  EXPECT_EQ(all.size(), 200u);
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM folds"), "200");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'done' AND attempt = 1"), "200");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM trials WHERE status = 'completed'"), "40");
}

TEST(PgStore, ReadOnlyStoreOnTheUrlReadsWhatWorkersWrote) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore store(url);
  const std::int64_t sweep = store.open_sweep(sweep_row("read"), false);
  store.generate_trials(sweep, 2, fixed(numbered_trials(2)));
  while (auto claim = store.claim_unit(sweep, "w", LeasePolicy{30, 3})) {
    store.record_unit(*claim, "w", fold_record(claim->fold, 0.25 * (claim->trial.number + claim->fold), "w"),
                      mean_only);
  }
  Store reader(url, StoreMode::read_only);
  const auto latest = reader.latest_sweep("read");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->class_names, (std::vector<std::string>{"a", "b"}));
  const auto best = reader.best_trial(latest->id);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->number, 2);  // folds 0.25 × (2 + 0) and 0.25 × (2 + 1)
  EXPECT_DOUBLE_EQ(*best->cv_mean, 0.625);
  EXPECT_EQ(reader.folds(best->id).size(), 2u);
  EXPECT_EQ(reader.folds(best->id)[1].confusion.at(1, 0), 1);
  const QueryResult named = reader.query("SELECT true_name, predicted_name, count FROM confusion_named "
                                         "WHERE trial = 2 AND fold = 0 AND count > 0 ORDER BY true_class");
  ASSERT_EQ(named.rows.size(), 2u);
  EXPECT_EQ(sql_value_text(named.rows[1][0]), "b");
  EXPECT_THROW(reader.query("DELETE FROM folds"), StoreError);
  EXPECT_THROW(Store(url, StoreMode::read_write), StoreError);
}

TEST(PgStore, UnreachableServerIsAStoreErrorWithoutThePassword) {
  try {
    PgStore store("postgresql://someone:secret@/nowhere?host=/nonexistent-socket-dir&connect_timeout=2");
    FAIL() << "connected to nothing";
  } catch (const StoreError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
    EXPECT_NE(message.find("someone:***@"), std::string::npos) << message;
    EXPECT_NE(message.find("cannot connect"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace eegsweep
