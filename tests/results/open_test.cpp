// Opening a store: creation, reopening, the embedded schema, and the files it must refuse.

#include <fstream>
#include <sstream>

#include "tests/results/store_test_util.h"

namespace eegsweep {
namespace {

using test::sql_rows;
using test::TempDir;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const StoreError& e) {
    return e.what();
  }
  return "(no StoreError thrown)";
}

TEST(StoreOpen, CreatesParentDirectoriesSchemaAndVersion) {
  TempDir dir;
  const std::string path = dir.file("a/b/results.db");
  {
    Store store(path);
    EXPECT_EQ(store.path(), path);
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(sql_rows(path, "SELECT version FROM schema_version"),
            (std::vector<std::vector<std::string>>{{std::to_string(kSchemaVersion)}}));
  EXPECT_EQ(sql_rows(path, "PRAGMA journal_mode")[0][0], "wal");
  for (const char* table :
       {"sweeps", "trials", "trial_params", "folds", "epochs", "confusion", "final_runs"}) {
    EXPECT_EQ(sql_rows(path, std::string("SELECT count(*) FROM sqlite_master WHERE type = "
                                         "'table' AND name = '") + table + "'")[0][0],
              "1")
        << table;
  }
  for (const char* view : {"leaderboard", "confusion_named"}) {
    EXPECT_EQ(sql_rows(path, std::string("SELECT count(*) FROM sqlite_master WHERE type = "
                                         "'view' AND name = '") + view + "'")[0][0],
              "1")
        << view;
  }
}

TEST(StoreOpen, ReopenKeepsDataAndDoesNotDuplicateVersion) {
  TempDir dir;
  const std::string path = dir.file("results.db");
  std::int64_t id = 0;
  {
    Store store(path);
    id = store.open_sweep(test::make_sweep_info("grid"), false);
  }
  Store again(path);
  const auto sweep = again.sweep(id);
  ASSERT_TRUE(sweep.has_value());
  EXPECT_EQ(sweep->name, "grid");
  EXPECT_EQ(sql_rows(path, "SELECT count(*) FROM schema_version")[0][0], "1");
}

// tests/results/data/schema_v1.sql is the schema as version 1 shipped it (git show
// fa62646:results/schema.sql): a store written then must open for writing, gain every table a new
// store has, keep its rows, and take the new tables' writes.
TEST(StoreOpen, AVersion1StoreIsUpgradedInPlace) {
  TempDir dir;
  const std::string old_path = dir.file("v1.db");
  std::ofstream(old_path).close();  // an empty file is an empty SQLite database
  sql_rows(old_path, read_file(EEGSWEEP_SOURCE_DIR "/tests/results/data/schema_v1.sql"));
  sql_rows(old_path, "INSERT INTO schema_version (version) VALUES (1)");
  std::int64_t id = 0;
  {
    Store v1(old_path);  // opening for writing upgrades (version 1 had no sweeps yet: add one)
    id = v1.open_sweep(test::make_sweep_info("grid"), false);
  }
  const std::string new_path = dir.file("new.db");
  { Store fresh(new_path); }
  const std::string schema_query =
      "SELECT m.name, p.name, p.type, p.pk FROM sqlite_master m, pragma_table_info(m.name) p "
      "WHERE m.type IN ('table', 'view') ORDER BY m.name, p.cid";
  EXPECT_EQ(sql_rows(old_path, schema_query), sql_rows(new_path, schema_query));
  EXPECT_EQ(sql_rows(old_path, "SELECT version FROM schema_version ORDER BY version"),
            (std::vector<std::vector<std::string>>{{"1"}, {"2"}, {"3"}}));
  {
    Store again(old_path);  // a second open does not upgrade twice
    ASSERT_TRUE(again.sweep(id).has_value());
    SweepSplits splits;
    splits.held_out_groups = {"s1"};
    splits.rows = {SplitRow{0, 0, "s1", "a"}};
    again.record_splits(id, splits);
  }
  EXPECT_EQ(sql_rows(old_path, "SELECT count(*) FROM schema_version")[0][0], "3");
  EXPECT_EQ(sql_rows(old_path, "SELECT row, role, fold, group_name FROM split_rows"),
            (std::vector<std::vector<std::string>>{{"0", "cv", "0", "s1"}}));
}

// tests/results/data/schema_v2.sql is the schema as version 2 shipped it (git show
// 2addb2f:results/schema.sql): a version-2 store with a trial left running by a process of the
// time (no lease) is upgraded to version 3 in place, keeps its rows, and that trial can be
// reclaimed under a lease.
TEST(StoreOpen, AVersion2StoreIsUpgradedInPlaceAndItsRunningTrialIsReclaimable) {
  TempDir dir;
  const std::string old_path = dir.file("v2.db");
  std::ofstream(old_path).close();
  sql_rows(old_path, read_file(EEGSWEEP_SOURCE_DIR "/tests/results/data/schema_v2.sql"));
  sql_rows(old_path, "INSERT INTO schema_version (version) VALUES (1); "
                     "INSERT INTO schema_version (version) VALUES (2)");
  // As a version-2 `sweep run` on another host left it: running, an owner, no lease.
  sql_rows(old_path,
           "INSERT INTO sweeps (id, name, identity_hash, metric_name, maximize, seed, created_at) "
           "VALUES (5, 'grid', 'h', 'accuracy', 1, '1', '2026-01-01T00:00:00.000Z'); "
           "INSERT INTO trials (sweep_id, number, params_json, params_hash, seed, status, owner) "
           "VALUES (5, 0, '{}', 'p0', '1', 'running', 'elsewhere:7:8:boot')");
  const std::int64_t sweep = 5;

  const std::string new_path = dir.file("new.db");
  { Store fresh(new_path); }
  const std::string schema_query =
      "SELECT m.name, p.name, p.type, p.pk FROM sqlite_master m, pragma_table_info(m.name) p "
      "WHERE m.type IN ('table', 'view') ORDER BY m.name, p.cid";
  {
    Store upgraded(old_path);
    EXPECT_EQ(sql_rows(old_path, schema_query), sql_rows(new_path, schema_query));
    EXPECT_EQ(sql_rows(old_path, "SELECT version FROM schema_version ORDER BY version"),
              (std::vector<std::vector<std::string>>{{"1"}, {"2"}, {"3"}}));
    const auto claim = upgraded.claim_trial(sweep, "me:1:2:boot", LeasePolicy{60, 3},
                                            test::kEveryoneAlive);
    ASSERT_TRUE(claim.has_value()) << "a running trial without a lease counts as expired";
    EXPECT_EQ(claim->trial.number, 0);
    EXPECT_EQ(claim->lease.attempt, 1);
  }
  EXPECT_EQ(sql_rows(old_path, "SELECT attempt, lost_leases FROM trial_leases"),
            (std::vector<std::vector<std::string>>{{"1", "1"}}));
  { Store again(old_path); }  // a second open does not upgrade twice
  EXPECT_EQ(sql_rows(old_path, "SELECT count(*) FROM schema_version")[0][0], "3");
}

TEST(StoreOpen, NewerSchemaVersionIsRefusedWithUpgradeHint) {
  TempDir dir;
  const std::string path = dir.file("results.db");
  { Store store(path); }
  const int newer = kSchemaVersion + 1;
  sql_rows(path, "UPDATE schema_version SET version = " + std::to_string(newer));
  const std::string message = error_of([&] { Store store(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("schema version " + std::to_string(newer)), std::string::npos) << message;
  EXPECT_NE(message.find("reads up to " + std::to_string(kSchemaVersion)), std::string::npos)
      << message;
  EXPECT_NE(message.find("upgrade eegsweep"), std::string::npos) << message;
}

TEST(StoreOpen, FileThatIsNotADatabaseIsRefusedByName) {
  TempDir dir;
  const std::string path = dir.file("notes.db");
  {
    std::ofstream out(path);
    out << "label,feature_0\nPOSITIVE,1.0\n this is a CSV file, not SQLite, and long enough to "
           "fill what SQLite reads as a header ........................................\n";
  }
  const std::string message = error_of([&] { Store store(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("not"), std::string::npos) << message;
  // The file is left as it was.
  EXPECT_EQ(read_file(path).rfind("label,feature_0", 0), 0u);
}

TEST(StoreOpen, ForeignSqliteDatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE people (name TEXT)", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  const std::string message = error_of([&] { Store store(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("not an eegsweep results store"), std::string::npos) << message;
}

TEST(StoreOpen, DirectoryPathIsRefusedByName) {
  TempDir dir;
  const std::string path = dir.file("a_directory");
  std::filesystem::create_directories(path);
  const std::string message = error_of([&] { Store store(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
}

}  // namespace
}  // namespace eegsweep
