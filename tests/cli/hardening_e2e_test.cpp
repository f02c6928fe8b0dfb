// Hostile input through the built binary: output files that must never clobber a database or be
// left half-written, standard output that cannot be written, read-only and damaged databases,
// --where filters that try to escape or never end, sweeps that cannot fit their data, and the
// messages a user reads for mistakes on the command line.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/process.h"

namespace eegsweep {
namespace {

namespace fs = std::filesystem;
using testing::ChildOptions;
using testing::run_sweep_command;

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class Hardening : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/eegsweep-hard-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(dir_, ignored);
  }

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // One trial, two folds of `epochs` epochs on 60 synthetic rows: a finished database in about a
  // second.
  void run_tiny_sweep(int epochs = 1) {
    write("tiny.yaml", R"(name: tiny
data:
  format: synthetic
  synthetic: {rows: 60, features: 8, classes: 2, noise: 0.5, seed: 1}
cv: {folds: 2}
seed: 5
device: cpu
parameters:
  hidden_size: {value: 4}
  timesteps: {value: 4}
  patience: {value: 0}
  epochs: {value: )" + std::to_string(epochs) + R"(}
)");
    const auto r = run_sweep_command({"run", "tiny.yaml", "--no-final"}, dir_, "tiny");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    db_ = dir_ + "/results/tiny.db";
  }

  // Files in the directory whose name starts with `prefix` (temporary files left behind).
  std::vector<std::string> leftovers(const std::string& prefix) {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      if (entry.path().filename().string().rfind(prefix, 0) == 0) found.push_back(entry.path().string());
    }
    return found;
  }

  std::string dir_, db_;
};

// --- output files ---------------------------------------------------------------------------

TEST_F(Hardening, ExportRefusesToOverwriteTheDatabaseItReads) {
  run_tiny_sweep();
  const std::string before = file_text(db_);
  const auto r = run_sweep_command({"export", "--db", db_, "--format", "csv", "-o", db_}, dir_, "export");
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("SQLite database"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(file_text(db_), before) << "the database is untouched";
  SQLite::Database db(db_);
  EXPECT_EQ(db.execAndGet("select count(*) from trials").getInt(), 1);
}

TEST_F(Hardening, ExportRefusesAnySqliteFileAndItsWalButForceOverwrites) {
  run_tiny_sweep();
  fs::copy_file(db_, dir_ + "/other.db");
  const auto refused = run_sweep_command({"export", "--db", db_, "-o", "other.db"}, dir_, "refused");
  EXPECT_EQ(refused.exit_code, 64) << refused.err;
  EXPECT_EQ(file_text(dir_ + "/other.db").rfind("SQLite format 3", 0), 0u);

  write("other.db-wal", "not really a wal");
  const auto wal = run_sweep_command({"export", "--db", db_, "-o", "other.db-wal"}, dir_, "wal");
  EXPECT_EQ(wal.exit_code, 64) << wal.err;
  EXPECT_NE(wal.err.find("wal file of the SQLite database"), std::string::npos) << wal.err;

  const auto forced = run_sweep_command({"export", "--db", db_, "-o", "other.db", "--force"}, dir_, "forced");
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(file_text(dir_ + "/other.db").rfind("trial,status,", 0), 0u) << file_text(dir_ + "/other.db");
}

TEST_F(Hardening, ExportToAFullDeviceExits74NamingIt) {
  run_tiny_sweep();
  const auto r = run_sweep_command({"export", "--db", db_, "-o", "/dev/full"}, dir_, "full");
  EXPECT_EQ(r.exit_code, 74) << r.err;
  EXPECT_NE(r.err.find("/dev/full"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("No space left"), std::string::npos) << r.err;
}

// A disk that fills up half-way: the file size limit makes writes fail past 40000 bytes, as
// ENOSPC would (SQLite's 32 KiB -shm file still fits). The old file stays whole and no temporary
// file is left beside it.
TEST_F(Hardening, ExportThatRunsOutOfSpaceLeavesTheOldFileAndNoPartialOne) {
  run_tiny_sweep(100);  // 200 epoch records: a JSON export well past the limit
  write("out.json", "previous export\n");
  ChildOptions limited;
  limited.max_file_bytes = 40000;
  const auto r = run_sweep_command({"export", "--db", db_, "--format", "json", "-o", "out.json"},
                                   dir_, "limited", limited);
  EXPECT_EQ(r.exit_code, 74) << r.err;
  EXPECT_NE(r.err.find("out.json: write failed"), std::string::npos) << r.err;
  EXPECT_EQ(file_text(dir_ + "/out.json"), "previous export\n");
  EXPECT_TRUE(leftovers(".out.json").empty()) << "temporary file left behind";

  const auto ok = run_sweep_command({"export", "--db", db_, "--format", "json", "-o", "out.json"}, dir_, "ok");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_GT(fs::file_size(dir_ + "/out.json"), 40000u) << "the export must not fit under the limit";
  EXPECT_TRUE(leftovers(".out.json").empty());
}

TEST_F(Hardening, StandardOutputThatCannotBeWrittenExits74) {
  run_tiny_sweep();
  ChildOptions full;
  full.stdout_path = "/dev/full";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"results", "--db", db_}, {"export", "--db", db_},
        {"show", "1", "--db", db_}, {"validate", "tiny.yaml"}}) {
    const auto r = run_sweep_command(args, dir_, "stdout", full);
    EXPECT_EQ(r.exit_code, 74) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("standard output"), std::string::npos) << args[0] << ": " << r.err;
  }
}

TEST_F(Hardening, FeaturizeRefusesADatabaseAsItsOutput) {
  run_tiny_sweep();
  fs::create_directories(dir_ + "/recordings");
  const std::string before = file_text(db_);
  const auto r = run_sweep_command({"featurize", "recordings", "-o", db_}, dir_, "featurize");
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_EQ(file_text(db_), before);
}

// --- databases --------------------------------------------------------------------------------

TEST_F(Hardening, ReadVerbsNeverCreateASchema) {
  write("empty.db", "");
  for (const char* verb : {"results", "best", "export"}) {
    const auto r = run_sweep_command({verb, "--db", "empty.db"}, dir_, verb);
    EXPECT_EQ(r.exit_code, 74) << verb << ": " << r.err;
    EXPECT_NE(r.err.find("empty database"), std::string::npos) << r.err;
  }
  EXPECT_EQ(fs::file_size(dir_ + "/empty.db"), 0u) << "nothing was written into it";
}

// Read-only media: neither the database nor its directory may be written, so SQLite can create
// no -shm file for the WAL database. As root permissions do not bind, the reader runs as nobody.
TEST_F(Hardening, ResultsReadsADatabaseOnReadOnlyMedia) {
  run_tiny_sweep();
  ChildOptions reader;
  if (geteuid() == 0) reader.run_as_uid = 65534;
  ::chmod(db_.c_str(), 0444);
  ::chmod((dir_ + "/results").c_str(), 0555);
  ::chmod(dir_.c_str(), 0755);
  // The child writes its captured output into dir_, which must stay writable for that.
  ChildOptions capture = reader;
  const std::string out_dir = dir_ + "/out";
  fs::create_directories(out_dir);
  ::chmod(out_dir.c_str(), 0777);
  const auto r = run_sweep_command({"results", "--db", db_}, out_dir, "ro", capture);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("accuracy (mean ± std)"), std::string::npos) << r.out << r.err;
  EXPECT_FALSE(fs::exists(db_ + "-shm"));
  ::chmod((dir_ + "/results").c_str(), 0755);
}

// A damaged page: run must not append to it, read verbs must not report from it.
TEST_F(Hardening, DamagedDatabaseIsRefusedWithExit74AndLeftAsItWas) {
  run_tiny_sweep();
  {
    std::fstream f(db_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 * 3);  // page 4: a b-tree page of this small database
    const std::string garbage(64, '\xff');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  const std::string damaged = file_text(db_);
  const auto run = run_sweep_command({"run", "tiny.yaml"}, dir_, "run");
  EXPECT_EQ(run.exit_code, 74) << run.err;
  EXPECT_NE(run.err.find("damaged"), std::string::npos) << run.err;
  EXPECT_EQ(file_text(db_), damaged) << "nothing was appended";
  const auto results = run_sweep_command({"results", "--db", db_}, dir_, "results");
  EXPECT_EQ(results.exit_code, 74) << results.err;
}

TEST_F(Hardening, UnknownSweepNameIsACommandLineError) {
  run_tiny_sweep();
  const auto r = run_sweep_command({"results", "--db", db_, "--sweep", "nosuch"}, dir_, "nosuch");
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("'nosuch'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tiny"), std::string::npos) << "lists the sweeps there: " << r.err;
}

// --- --where ----------------------------------------------------------------------------------

TEST_F(Hardening, WhereAcceptsExactlyOneExpression) {
  run_tiny_sweep();
  struct Case {
    std::string filter, says;
  };
  for (const Case& c : {Case{"1=1) or (1=1", "closes a parenthesis"}, Case{"1=1; select 1", "';'"},
                        Case{"1=1 --", "comment"}, Case{"trial = 1 /* x */", "comment"},
                        Case{"(trial = 1", "unclosed"}, Case{"sweep = 'x", "unclosed"}}) {
    const auto r = run_sweep_command({"results", "--db", db_, "--where", c.filter}, dir_, "where");
    EXPECT_EQ(r.exit_code, 64) << c.filter << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.filter << ": " << r.err;
  }
  // Quotes keep their parentheses and semicolons as text.
  const auto quoted = run_sweep_command({"results", "--db", db_, "--where", "sweep != ');(' and trial = 1"},
                                        dir_, "quoted");
  EXPECT_EQ(quoted.exit_code, 0) << quoted.err;
}

// A recursive CTE never ends by itself: the time limit (not the machine's speed) decides that it
// stops, so the outcome does not depend on timing.
TEST_F(Hardening, WhereThatNeverEndsIsStoppedByTheTimeLimit) {
  run_tiny_sweep();
  const std::string endless =
      "trial in (with recursive c(x) as (select 1 union all select x + 1 from c) select x from c)";
  const auto r = run_sweep_command({"results", "--db", db_, "--where", endless, "--timeout", "0.5"}, dir_, "cte");
  EXPECT_EQ(r.exit_code, 64) << r.err;
  EXPECT_NE(r.err.find("time limit of 0.5 s"), std::string::npos) << r.err;
  const auto blob = run_sweep_command({"results", "--db", db_, "--where", "length(randomblob(1e9)) > 0"},
                                      dir_, "blob");
  EXPECT_EQ(blob.exit_code, 64) << blob.err;
  EXPECT_NE(blob.err.find("too big"), std::string::npos) << blob.err;
}

// --- command line -----------------------------------------------------------------------------

TEST_F(Hardening, CommandLineMistakesAreNamedInWords) {
  const auto verb = run_sweep_command({"frobnicate"}, dir_, "verb");
  EXPECT_EQ(verb.exit_code, 64);
  EXPECT_NE(verb.err.find("unknown verb 'frobnicate'"), std::string::npos) << verb.err;
  EXPECT_NE(verb.err.find("run, validate"), std::string::npos) << verb.err;

  write("x.yaml", "name: x\ndata: {format: synthetic}\n");
  const auto jobs = run_sweep_command({"run", "x.yaml", "-j", "0"}, dir_, "jobs");
  EXPECT_EQ(jobs.exit_code, 64);
  EXPECT_NE(jobs.err.find("1 or more"), std::string::npos) << jobs.err;
  EXPECT_EQ(jobs.err.find("1.79769"), std::string::npos) << jobs.err;

  const auto top = run_sweep_command({"results", "--top", "-1"}, dir_, "top");
  EXPECT_EQ(top.exit_code, 64);
  EXPECT_NE(top.err.find("1 or more"), std::string::npos) << top.err;
  EXPECT_FALSE(fs::exists(dir_ + "/results")) << "nothing ran";
}

// --- input files ------------------------------------------------------------------------------

TEST_F(Hardening, SpecialFilesAreRefusedWithoutBlocking) {
  ASSERT_EQ(::mkfifo((dir_ + "/fifo.yaml").c_str(), 0644), 0);
  const auto fifo = run_sweep_command({"validate", "fifo.yaml"}, dir_, "fifo");
  EXPECT_EQ(fifo.exit_code, 65) << fifo.err;
  EXPECT_NE(fifo.err.find("FIFO"), std::string::npos) << fifo.err;

  const auto zero = run_sweep_command({"validate", "/dev/zero"}, dir_, "zero");
  EXPECT_EQ(zero.exit_code, 65) << zero.err;
  EXPECT_NE(zero.err.find("character device"), std::string::npos) << zero.err;

  write("data.yaml", "name: d\ndata: {format: csv, path: /dev/zero}\n");
  const auto data = run_sweep_command({"validate", "data.yaml"}, dir_, "data");
  EXPECT_EQ(data.exit_code, 65) << data.err;
  EXPECT_NE(data.err.find("/dev/zero"), std::string::npos) << data.err;
}

// --- sweeps that cannot fit their data --------------------------------------------------------

TEST_F(Hardening, TimestepsThatDoNotDivideTheFeaturesFailValidation) {
  write("ts.yaml", R"(name: ts
data:
  format: synthetic
  synthetic: {rows: 60, features: 32, classes: 2, seed: 1}
device: cpu
parameters:
  timesteps: {values: [16, 7]}
)");
  for (const char* verb : {"validate", "run"}) {
    const auto r = run_sweep_command({verb, "ts.yaml"}, dir_, verb);
    EXPECT_EQ(r.exit_code, 65) << verb << ": " << r.err;
    EXPECT_NE(r.err.find("parameters.timesteps: 7"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("32 features"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ + "/results")) << "run stopped before creating its database";
}

// 60 rows of 3 classes (20 each); test_split 0.95 holds out 19 of each, leaving 1 per class for
// 3 folds.
TEST_F(Hardening, TestSplitThatLeavesTooFewRowsPerFoldSaysHowMany) {
  write("split.yaml", R"(name: split
data:
  format: synthetic
  synthetic: {rows: 60, features: 8, classes: 3, seed: 1}
test_split: 0.95
cv: {folds: 3}
device: cpu
)");
  const auto r = run_sweep_command({"validate", "split.yaml"}, dir_, "split");
  EXPECT_EQ(r.exit_code, 65) << r.err;
  EXPECT_NE(r.err.find("has 20 rows; 19 went to the test split"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("leaving 1 for 3 folds"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace eegsweep
