// `sweep predict` end to end: a small CSV sweep (12 recordings of 3 classes, grouped CV, a
// held-out test split of whole recordings) whose stored final model is applied to the test rows
// and must reproduce the stored test confusion matrix and accuracy exactly; the stored weights
// blob has the size the layout gives by hand and the recorded hash; bad data and an output that
// cannot be written fail with the documented exit statuses and leave nothing behind.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "engine/sched/sweep_plan.h"
#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

namespace fs = std::filesystem;
using testing::ChildOptions;
using testing::run_sweep_command;

constexpr int kFeatures = 12;
const char* const kClasses[] = {"calm", "focus", "stress"};

// Splits CSV text into rows of cells (no quoting needed for what these tests write and read).
std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    std::string cell;
    while (std::getline(s, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class Predict : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new fixtures::TempDir();
    // 12 recordings × 20 rows; a recording's class is its number mod 3; class c shifts the
    // features by c·0.6 (features 0..5) and the noise is N(0, 1): learnable, not trivially.
    std::mt19937 random(11);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::string header;
    for (int j = 0; j < kFeatures; ++j) header += "f" + std::to_string(j) + ",";
    header += "recording,label";
    lines_.push_back(header);
    for (int rec = 0; rec < 12; ++rec) {
      const int c = rec % 3;
      for (int i = 0; i < 20; ++i) {
        std::ostringstream line;
        line.precision(6);
        for (int j = 0; j < kFeatures; ++j) line << (j < 6 ? 0.6 * c : 0.0) + noise(random) << ",";
        line << "r" << rec << "," << kClasses[c];
        lines_.push_back(line.str());
      }
    }
    write_lines("table.csv", lines_);
    temp_->write("apply.yaml", R"(name: apply
data: {format: csv, path: table.csv}
cv: {folds: 3, group_by: recording}
test_split: 0.25
seed: 7
device: cpu
parameters:
  hidden_size: {values: [4, 6]}
  timesteps: {value: 6}
  epochs: {value: 4}
  learning_rate: {value: 0.02}
  batch_size: {value: 16}
)");
    const auto run = run_sweep_command({"run", "apply.yaml"}, temp_->path(), "run");
    ASSERT_EQ(run.exit_code, 0) << run.err;

    // Which rows the final run scored: the sweep's own held-out split, in its order.
    const SweepSpec spec = parse_sweep(file_text(temp_->file("apply.yaml")), temp_->file("apply.yaml"), {});
    const SweepPlan plan = plan_sweep(spec, load_dataset(spec));
    test_rows_ = new RowList(plan.holdout.test);
    std::vector<std::string> test_lines = {lines_.front()};
    for (RowIndex r : *test_rows_) test_lines.push_back(lines_[r + 1]);
    write_lines("test.csv", test_lines);
  }
  static void TearDownTestSuite() {
    delete temp_;
    delete test_rows_;
    temp_ = nullptr;
    test_rows_ = nullptr;
  }

  static void write_lines(const std::string& name, const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    temp_->write(name, text);
  }
  static std::string dir() { return temp_->path(); }
  static std::string db_path() { return temp_->file("results/apply.db"); }

  static fixtures::TempDir* temp_;
  static RowList* test_rows_;
  static std::vector<std::string> lines_;  // the table's header and rows, as written
};

fixtures::TempDir* Predict::temp_ = nullptr;
RowList* Predict::test_rows_ = nullptr;
std::vector<std::string> Predict::lines_;

TEST_F(Predict, TheTestRowsReproduceTheStoredTestConfusionAndAccuracyExactly) {
  ASSERT_FALSE(test_rows_->empty());
  const auto r = run_sweep_command({"predict", "--best", "test.csv", "-o", "pred.csv"}, dir(), "predict");
  ASSERT_EQ(r.exit_code, 0) << r.err;

  SQLite::Database db(db_path());
  const auto class_names = nlohmann::json::parse(
      db.execAndGet("select class_names from sweeps").getString()).get<std::vector<std::string>>();
  ASSERT_EQ(class_names, (std::vector<std::string>{"calm", "focus", "stress"}));
  std::map<std::pair<std::string, std::string>, int> stored;
  SQLite::Statement cells(db, "select true_class, predicted_class, count from confusion c "
                              "join final_runs f on f.id = c.final_run_id where f.kind = 'final'");
  while (cells.executeStep()) {
    stored[{class_names[cells.getColumn(0).getInt()], class_names[cells.getColumn(1).getInt()]}] =
        cells.getColumn(2).getInt();
  }
  ASSERT_EQ(stored.size(), 9u);
  const double stored_accuracy = db.execAndGet("select accuracy from final_runs where kind = 'final'").getDouble();
  const double stored_loss = db.execAndGet("select loss from final_runs where kind = 'final'").getDouble();

  const auto table = read_csv(temp_->file("pred.csv"));
  ASSERT_EQ(table.front(), (std::vector<std::string>{"kind", "row", "recording", "label", "predicted",
                                                     "p_calm", "p_focus", "p_stress"}));
  std::map<std::pair<std::string, std::string>, int> counted;
  for (const auto& cls : class_names) {
    for (const auto& pred : class_names) counted[{cls, pred}] = 0;
  }
  int rows = 0, correct = 0;
  double loss = 0;
  std::map<std::string, std::vector<double>> group_sums;
  std::map<std::string, int> group_rows;
  std::map<std::string, std::vector<std::string>> group_lines;
  for (std::size_t i = 1; i < table.size(); ++i) {
    const auto& t = table[i];
    ASSERT_EQ(t.size(), 8u) << i;
    if (t[0] == "group") {
      group_lines[t[2]] = t;
      continue;
    }
    ASSERT_EQ(t[0], "row");
    ++rows;
    EXPECT_EQ(t[1], std::to_string(rows));
    // The label and group are the test table's own, row by row.
    const std::string& source = lines_[(*test_rows_)[static_cast<std::size_t>(rows - 1)] + 1];
    EXPECT_NE(source.find("," + t[2] + "," + t[3]), std::string::npos) << source;
    ++counted[{t[3], t[4]}];
    correct += t[3] == t[4];
    std::vector<double> p = {std::stod(t[5]), std::stod(t[6]), std::stod(t[7])};
    EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-6);
    const std::size_t label = static_cast<std::size_t>(
        std::find(class_names.begin(), class_names.end(), t[3]) - class_names.begin());
    loss -= std::log(p[label]);
    auto& sums = group_sums[t[2]];
    sums.resize(3, 0.0);
    for (int c = 0; c < 3; ++c) sums[static_cast<std::size_t>(c)] += p[static_cast<std::size_t>(c)];
    ++group_rows[t[2]];
  }
  EXPECT_EQ(static_cast<std::size_t>(rows), test_rows_->size());
  EXPECT_EQ(counted, stored);
  EXPECT_EQ(static_cast<double>(correct) / rows, stored_accuracy);
  EXPECT_NEAR(loss / rows, stored_loss, 1e-6 * std::max(1.0, stored_loss));

  // One line per recording: the mean of its rows' probabilities, predicted = the largest.
  ASSERT_EQ(group_lines.size(), group_sums.size());
  for (const auto& [name, sums] : group_sums) {
    const auto& g = group_lines.at(name);
    std::size_t best = 0;
    for (std::size_t c = 0; c < 3; ++c) {
      EXPECT_NEAR(std::stod(g[5 + c]), sums[c] / group_rows[name], 1e-7) << name;
      if (sums[c] > sums[best]) best = c;
    }
    EXPECT_EQ(g[4], class_names[best]) << name;
    EXPECT_EQ(g[3], kClasses[std::stoi(name.substr(1)) % 3]) << name;  // r<n>: class n mod 3
  }
}

TEST_F(Predict, TheStoredWeightsHaveTheLayoutsSizeAndTheRecordedHash) {
  SQLite::Database db(db_path());
  SQLite::Statement s(db, "select length(m.weights), m.weights_hash, f.weights_hash, m.layout_json, "
                          "json_array_length(m.standardizer_json, '$.mean'), t.params_json "
                          "from final_run_models m join final_runs f on f.id = m.final_run_id "
                          "join trials t on t.id = f.trial_id where f.kind = 'final'");
  ASSERT_TRUE(s.executeStep()) << "no model stored with the final run";
  const int hidden = nlohmann::json::parse(s.getColumn(5).getString()).at("hidden_size").get<int>();
  // 12 features as 6 steps × 2 inputs, 3 classes, head `last`: W 3·H·2, R 3·H·H, two biases 3·H,
  // dense 3·H + 3.
  const int floats = 3 * hidden * 2 + 3 * hidden * hidden + 2 * 3 * hidden + 3 * hidden + 3;
  EXPECT_EQ(s.getColumn(0).getInt(), 4 * floats);
  EXPECT_EQ(s.getColumn(1).getString(), s.getColumn(2).getString());
  const auto layout = nlohmann::json::parse(s.getColumn(3).getString());
  EXPECT_EQ(layout.at("parameters").get<int>(), floats);
  EXPECT_EQ(layout.at("timesteps").get<int>(), 6);
  EXPECT_EQ(layout.at("feature_names").size(), static_cast<std::size_t>(kFeatures));
  EXPECT_EQ(s.getColumn(4).getInt(), kFeatures);
}

TEST_F(Predict, AChangedWeightIsRefusedAsDamaged) {
  const std::string copy = temp_->file("tampered.db");
  fs::copy_file(db_path(), copy, fs::copy_options::overwrite_existing);
  {
    SQLite::Database db(copy, SQLite::OPEN_READWRITE);
    db.exec("update final_run_models set weights = zeroblob(length(weights))");
  }
  const auto r = run_sweep_command({"predict", "--best", "test.csv", "-o", "tampered.csv", "--db", copy},
                                   dir(), "tampered");
  EXPECT_EQ(r.exit_code, 74) << r.err;
  EXPECT_NE(r.err.find("changed or damaged"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(temp_->file("tampered.csv")));
}

TEST_F(Predict, DataWithoutLabelsGetsTheSamePredictions) {
  std::vector<std::string> unlabelled;
  for (const auto& l : read_csv(temp_->file("test.csv"))) {
    std::string line;
    for (std::size_t j = 0; j + 1 < l.size(); ++j) line += (j ? "," : "") + l[j];
    unlabelled.push_back(line);
  }
  write_lines("unlabelled.csv", unlabelled);
  const auto a = run_sweep_command({"predict", "--best", "test.csv", "-o", "a.csv"}, dir(), "a");
  const auto b = run_sweep_command({"predict", "--best", "unlabelled.csv", "-o", "b.csv"}, dir(), "b");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto ta = read_csv(temp_->file("a.csv"));
  const auto tb = read_csv(temp_->file("b.csv"));
  ASSERT_EQ(ta.size(), tb.size());
  for (std::size_t i = 1; i < ta.size(); ++i) {
    EXPECT_EQ(tb[i][3], "") << i;
    auto without_label = [](std::vector<std::string> v) { v[3].clear(); return v; };
    EXPECT_EQ(without_label(ta[i]), tb[i]) << i;
  }
}

TEST_F(Predict, ATrialNumberWorksLikeBest) {
  SQLite::Database db(db_path());
  const int best = db.execAndGet("select trial from leaderboard order by rank, trial limit 1").getInt();
  const auto a = run_sweep_command({"predict", "--best", "test.csv", "-o", "best.csv"}, dir(), "pbest");
  const auto b = run_sweep_command({"predict", std::to_string(best), "test.csv", "-o", "numbered.csv"}, dir(), "pnum");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(file_text(temp_->file("best.csv")), file_text(temp_->file("numbered.csv")));
  // Only the best trial has a final run, so another trial has no model to apply.
  const int other = best == 1 ? 2 : 1;
  const auto c = run_sweep_command({"predict", std::to_string(other), "test.csv", "-o", "other.csv"}, dir(), "pother");
  EXPECT_EQ(c.exit_code, 64) << c.err;
  EXPECT_NE(c.err.find("has no stored model"), std::string::npos) << c.err;
  const auto d = run_sweep_command({"predict", "test.csv", "-o", "x.csv"}, dir(), "pnone");
  EXPECT_EQ(d.exit_code, 64) << d.err;
}

TEST_F(Predict, BadDataNamesTheFileRowAndColumn) {
  // A missing feature column.
  std::vector<std::string> short_lines;
  for (const auto& l : read_csv(temp_->file("test.csv"))) {
    std::string line;
    for (std::size_t j = 1; j < l.size(); ++j) line += (j > 1 ? "," : "") + l[j];
    short_lines.push_back(line);
  }
  write_lines("short.csv", short_lines);
  const auto a = run_sweep_command({"predict", "--best", "short.csv", "-o", "p.csv"}, dir(), "short");
  EXPECT_EQ(a.exit_code, 65) << a.err;
  EXPECT_NE(a.err.find("short.csv: line 1 (header), feature column 1: 'f1' where the model expects 'f0'"),
            std::string::npos) << a.err;

  // A feature too many.
  const auto t = read_csv(temp_->file("test.csv"));
  std::vector<std::string> long_lines(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    std::string line;
    for (std::size_t j = 0; j < static_cast<std::size_t>(kFeatures); ++j) line += t[i][j] + ",";
    line += (i == 0 ? "extra" : "0.5");
    for (std::size_t j = kFeatures; j < t[i].size(); ++j) line += "," + t[i][j];
    long_lines[i] = line;
  }
  write_lines("long.csv", long_lines);
  const auto b = run_sweep_command({"predict", "--best", "long.csv", "-o", "p.csv"}, dir(), "long");
  EXPECT_EQ(b.exit_code, 65) << b.err;
  EXPECT_NE(b.err.find("long.csv: line 1 (header): 13 feature columns, the model was trained on 12 "
                       "(unexpected column 'extra')"), std::string::npos) << b.err;

  // A cell that is not a number, and a label the model does not know.
  auto bad = read_csv(temp_->file("test.csv"));
  std::vector<std::string> bad_lines;
  for (std::size_t i = 0; i < bad.size(); ++i) {
    if (i == 3) bad[i][4] = "oops";
    std::string line;
    for (std::size_t j = 0; j < bad[i].size(); ++j) line += (j ? "," : "") + bad[i][j];
    bad_lines.push_back(line);
  }
  write_lines("bad.csv", bad_lines);
  const auto c = run_sweep_command({"predict", "--best", "bad.csv", "-o", "p.csv"}, dir(), "bad");
  EXPECT_EQ(c.exit_code, 65) << c.err;
  EXPECT_NE(c.err.find("bad.csv: line 4, column 'f4' (column 5)"), std::string::npos) << c.err;
  bad_lines[2] = bad_lines[2].substr(0, bad_lines[2].rfind(',')) + ",sleepy";
  bad_lines[3] = lines_[(*test_rows_)[2] + 1];  // line 4 valid again
  write_lines("bad.csv", bad_lines);
  const auto d = run_sweep_command({"predict", "--best", "bad.csv", "-o", "p.csv"}, dir(), "badlabel");
  EXPECT_EQ(d.exit_code, 65) << d.err;
  EXPECT_NE(d.err.find("bad.csv: line 3"), std::string::npos) << d.err;
  EXPECT_NE(d.err.find("'sleepy' is not one of the configured classes"), std::string::npos) << d.err;
  EXPECT_FALSE(fs::exists(temp_->file("p.csv")));
}

TEST_F(Predict, AnOutputThatCannotBeWrittenExits74AndLeavesNothing) {
  temp_->write("kept.csv", "previous predictions\n");
  // The whole table four times: predictions of about 100 kB, past a 40 kB file-size limit (which
  // still lets SQLite map the database's 32 kB shared-memory file).
  std::vector<std::string> big = {lines_.front()};
  for (int copy = 0; copy < 4; ++copy) big.insert(big.end(), lines_.begin() + 1, lines_.end());
  write_lines("big.csv", big);
  ChildOptions limited;
  limited.max_file_bytes = 40000;
  const auto r = run_sweep_command({"predict", "--best", "big.csv", "-o", "kept.csv"}, dir(), "full", limited);
  EXPECT_EQ(r.exit_code, 74) << r.err;
  EXPECT_NE(r.err.find("kept.csv: write failed"), std::string::npos) << r.err;
  EXPECT_EQ(file_text(temp_->file("kept.csv")), "previous predictions\n");
  for (const auto& entry : fs::directory_iterator(dir())) {
    EXPECT_EQ(entry.path().filename().string().find(".kept.csv"), std::string::npos)
        << "left behind: " << entry.path();
  }
  const auto ok = run_sweep_command({"predict", "--best", "big.csv", "-o", "big-predictions.csv"}, dir(), "big");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_GT(fs::file_size(temp_->file("big-predictions.csv")), 40000u) << "must not fit under the limit";

  const auto full = run_sweep_command({"predict", "--best", "test.csv", "-o", "/dev/full"}, dir(), "devfull");
  EXPECT_EQ(full.exit_code, 74) << full.err;
  const auto missing = run_sweep_command({"predict", "--best", "test.csv", "-o", "no/such/dir/p.csv"}, dir(), "nodir");
  EXPECT_EQ(missing.exit_code, 74) << missing.err;
  EXPECT_FALSE(fs::exists(temp_->file("no")));
}

}  // namespace
}  // namespace eegsweep
