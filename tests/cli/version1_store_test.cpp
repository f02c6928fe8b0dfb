// A results file written by schema version 1 (before the split, baseline and per-group tables)
// stays readable by every verb that only reads, and those verbs leave it at version 1: only a
// writer upgrades a store.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <fstream>
#include <set>
#include <sstream>

#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using testing::run_sweep_command;

std::set<std::string> table_names(SQLite::Database& db) {
  std::set<std::string> names;
  SQLite::Statement select(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  while (select.executeStep()) names.insert(select.getColumn(0).getString());
  return names;
}

// A store as version 1 wrote it: a finished sweep (with a final run) whose version-2 tables are
// dropped, leaving the tables that version 1 shipped (tests/results/data/schema_v1.sql).
void make_version_1(const std::string& path) {
  std::ifstream in(EEGSWEEP_SOURCE_DIR "/tests/results/data/schema_v1.sql");
  std::stringstream v1_schema;
  v1_schema << in.rdbuf();
  SQLite::Database v1(":memory:", SQLite::OPEN_READWRITE);
  v1.exec(v1_schema.str());
  const std::set<std::string> version_1_tables = table_names(v1);

  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  for (const auto& name : table_names(db)) {
    if (!version_1_tables.count(name)) db.exec("DROP TABLE " + name);
  }
  db.exec("DELETE FROM schema_version");
  db.exec("INSERT INTO schema_version (version) VALUES (1)");
  ASSERT_EQ(table_names(db), version_1_tables);
}

TEST(Version1Store, EveryReadingVerbReadsItAndLeavesItAtVersion1) {
  fixtures::TempDir dir;
  dir.write("old.yaml", R"(name: old
data:
  format: synthetic
  synthetic: {rows: 90, features: 6, classes: 2, noise: 0.8, seed: 2}
cv: {folds: 2}
seed: 3
device: cpu
parameters:
  hidden_size: {values: [4]}
  timesteps: {value: 3}
  epochs: {value: 2}
)");
  const auto run = run_sweep_command({"run", "old.yaml"}, dir.path(), "run");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  make_version_1(dir.file("results/old.db"));

  const std::vector<std::vector<std::string>> reads = {
      {"results", "--db", "results/old.db"},
      {"show", "1", "--db", "results/old.db"},
      {"best", "--db", "results/old.db"},
      {"report", "--db", "results/old.db", "-o", "old.html"}};
  for (const auto& args : reads) {
    const auto r = run_sweep_command(args, dir.path(), args[0]);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
  }
  SQLite::Database db(dir.file("results/old.db"));
  EXPECT_EQ(db.execAndGet("SELECT max(version) FROM schema_version").getInt(), 1);
  EXPECT_FALSE(db.tableExists("split_folds"));
}

}  // namespace
}  // namespace eegsweep
