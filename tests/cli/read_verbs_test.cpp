// The read verbs through the built binary, each checked against the database with plain SQL:
// best (table and JSON), export as CSV to a file, reproduce against a record that was tampered
// with, and the exit statuses the README promises for wrong input.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using testing::run_sweep_command;

// One small finished sweep shared by the tests of this file (they only read it, except the
// tampering test, which works on its own copy).
class ReadVerbs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new fixtures::TempDir();
    temp_->write("tiny.yaml", R"(name: tiny
data:
  format: synthetic
  synthetic: {rows: 180, features: 12, classes: 3, noise: 0.8, seed: 3}
cv: {folds: 3}
seed: 5
device: cpu
parameters:
  hidden_size: {values: [4, 8]}
  learning_rate: {values: [0.01, 0.003]}
  timesteps: {value: 6}
  epochs: {value: 3}
)");
    const auto run = run_sweep_command({"run", "tiny.yaml"}, temp_->path(), "run");
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  static void TearDownTestSuite() {
    delete temp_;
    temp_ = nullptr;
  }

  static std::string dir() { return temp_->path(); }
  static std::string db_path() { return temp_->file("results/tiny.db"); }

  static fixtures::TempDir* temp_;
};

fixtures::TempDir* ReadVerbs::temp_ = nullptr;

TEST_F(ReadVerbs, BestNamesTheLeaderboardsFirstTrialAndItsTestScore) {
  SQLite::Database db(db_path());
  const int best_trial = db.execAndGet("select trial from leaderboard order by cv_mean desc, trial limit 1").getInt();
  const double test_accuracy =
      db.execAndGet("select accuracy from final_runs where kind = 'final'").getDouble();

  const auto json = run_sweep_command({"best", "--format", "json"}, dir(), "best-json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto best = nlohmann::json::parse(json.out);
  EXPECT_EQ(best.at("trial").get<int>(), best_trial);
  EXPECT_EQ(best.at("sweep").get<std::string>(), "tiny");
  EXPECT_EQ(best.at("test").at("accuracy").get<double>(), test_accuracy);
  EXPECT_EQ(best.at("params").at("timesteps").get<int>(), 6);

  const auto table = run_sweep_command({"best"}, dir(), "best");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("'tiny': " + std::to_string(best_trial) + " —"), std::string::npos) << table.out;
}

TEST_F(ReadVerbs, ExportCsvToAFileHasARowPerTrialWithTheStoredNumbers) {
  const std::string out = temp_->file("trials.csv");
  const auto r = run_sweep_command({"export", "--format", "csv", "-o", out}, dir(), "export");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(out);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("trial,status,", 0), 0u) << header;
  EXPECT_NE(header.find("hidden_size"), std::string::npos) << header;
  EXPECT_NE(header.find("f1_macro"), std::string::npos) << header;
  const auto split = [](const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
    return cells;
  };
  const std::vector<std::string> columns = split(header);
  const auto index = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
  };
  SQLite::Database db(db_path());
  int rows = 0;
  for (std::string line; std::getline(in, line);) {
    ++rows;
    const std::vector<std::string> cells = split(line);
    ASSERT_GT(cells.size(), index("cv_mean")) << line;
    EXPECT_EQ(cells[index("status")], "completed") << line;
    SQLite::Statement q(db, "select t.cv_mean, p.value from trials t join trial_params p on "
                            "p.trial_id = t.id and p.name = 'hidden_size' where t.number = ?");
    q.bind(1, std::stoi(cells[index("trial")]));
    ASSERT_TRUE(q.executeStep()) << line;
    // Numbers are written in their shortest round-trip form: they read back exactly.
    EXPECT_EQ(std::stod(cells[index("cv_mean")]), q.getColumn(0).getDouble()) << line;
    EXPECT_EQ(cells[index("hidden_size")], q.getColumn(1).getString()) << line;
  }
  EXPECT_EQ(rows, 4);
}

// A record whose weights hash no longer matches what retraining gives is reported as different,
// with exit status 1: reproduce really compares, it does not just print.
TEST_F(ReadVerbs, ReproduceReportsATamperedRecordAsDifferent) {
  const std::string copy = temp_->file("tampered.db");
  std::filesystem::copy_file(db_path(), copy);
  {
    SQLite::Database db(copy, SQLite::OPEN_READWRITE);
    db.exec("update final_runs set weights_hash = '0000000000000000' where kind = 'final'");
  }
  const auto r = run_sweep_command({"reproduce", "--best", "--db", copy}, dir(), "reproduce");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("DIFFERENT"), std::string::npos) << r.out;
  SQLite::Database db(copy);
  EXPECT_EQ(db.execAndGet("select count(*) from final_runs where kind = 'reproduce'").getInt(), 1)
      << "the reproduction is recorded beside the record";
}

TEST_F(ReadVerbs, WrongInputGetsTheDocumentedExitStatus) {
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string message;
  };
  const std::string not_a_db = temp_->write("notes.db", "this is not a database\n");
  const std::vector<Case> cases = {
      {{"show", "99"}, 64, "99"},                                   // no such trial
      {{"reproduce", "--best", "7"}, 64, "either --best or a trial"},
      {{"results", "--sort", "no_such_column"}, 64, "no_such_column"},
      {{"results", "--db", not_a_db}, 74, "notes.db"},
      {{"run", "missing.yaml"}, 65, "missing.yaml"},
  };
  for (const auto& c : cases) {
    const auto r = run_sweep_command(c.args, dir(), "bad");
    std::string command;
    for (const auto& a : c.args) command += a + " ";
    EXPECT_EQ(r.exit_code, c.exit_code) << command << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << command << "\n" << r.err;
  }
  const auto version = run_sweep_command({"--version"}, dir(), "version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_FALSE(version.out.empty());
}

}  // namespace
}  // namespace eegsweep
