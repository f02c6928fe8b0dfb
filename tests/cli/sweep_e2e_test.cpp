// End to end through the built binary: a small sweep checked with plain SQL, interrupt and
// resume, reproduce, two processes on one database, and bad sweep files.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

namespace fs = std::filesystem;
using testing::Child;
using testing::run_sweep_command;

// A small table in emotions.csv's shape (4 feature columns, NEGATIVE/NEUTRAL/POSITIVE labels),
// for the README's examples, which `validate` checks against their data.
std::string emotions_like_csv(bool with_subject) {
  std::string csv = with_subject ? "a,b,c,d,subject,label\n" : "a,b,c,d,label\n";
  const char* classes[] = {"NEGATIVE", "NEUTRAL", "POSITIVE"};
  for (int subject = 0; subject < 10; ++subject) {
    for (int r = 0; r < 6; ++r) {
      for (int f = 0; f < 4; ++f) csv += std::to_string((subject * 7 + r * 3 + f) % 10) + ",";
      if (with_subject) csv += "s" + std::to_string(subject) + ",";
      csv += std::string(classes[r % 3]) + "\n";
    }
  }
  return csv;
}

class SweepEndToEnd : public ::testing::Test {
 protected:

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  // A sweep of `trials` (2 × trials/2 grid) on synthetic data.
  static std::string sweep_text(const std::string& name, int epochs, const std::string& hidden,
                                int patience = 2) {
    return "name: " + name + R"(
method: grid
metric: {name: accuracy, goal: maximize}
data:
  format: synthetic
  synthetic: {rows: 240, features: 32, classes: 3, noise: 0.8, seed: 3}
test_split: 0.2
cv: {folds: 3}
seed: 11
device: cpu
parameters:
  hidden_size: {values: )" + hidden + R"(}
  learning_rate: {values: [0.01, 0.003]}
  timesteps: {value: 16}
  epochs: {value: )" + std::to_string(epochs) + R"(}
  patience: {value: )" + std::to_string(patience) + R"(}
  batch_size: {value: 32}
)";
  }

  static long long count(SQLite::Database& db, const std::string& sql) {
    return db.execAndGet(sql).getInt64();
  }

  fixtures::TempDir temp_;
  const std::string dir_ = temp_.path();
};

TEST_F(SweepEndToEnd, SmallSweepStoresEverythingAndReproduces) {
  write("tiny.yaml", sweep_text("tiny", 4, "[8, 16]"));
  const auto run = run_sweep_command({"run", "tiny.yaml"}, dir_, "run");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_TRUE(fs::exists(dir_ + "/results/tiny.db")) << run.err;

  {
    SQLite::Database db(dir_ + "/results/tiny.db");
    EXPECT_EQ(count(db, "select count(*) from sweeps"), 1);
    EXPECT_EQ(count(db, "select count(*) from trials"), 4);
    EXPECT_EQ(count(db, "select count(*) from trials where status = 'completed'"), 4);
    EXPECT_EQ(count(db, "select count(*) from folds"), 12);
    EXPECT_EQ(count(db, "select count(*) from trial_params where name = 'hidden_size'"), 4);
    EXPECT_EQ(count(db, "select count(*) from trials where cv_mean is null"), 0);
    // Every fold's confusion matrix counts exactly its validation rows.
    EXPECT_EQ(count(db, "select count(*) from folds f where f.val_rows != (select sum(c.count) from "
                        "confusion c where c.trial_id = f.trial_id and c.fold = f.fold)"),
              0);
    // Folds of one trial partition the 192 non-test rows (240 − 20 % held out).
    EXPECT_EQ(count(db, "select count(*) from (select trial_id, sum(val_rows) s from folds group by "
                        "trial_id) where s != 192"),
              0);
    EXPECT_GE(count(db, "select count(*) from epochs"), 12);
    EXPECT_EQ(count(db, "select count(*) from final_runs where kind = 'final'"), 1);
    // The final run retrained the leaderboard's first trial (the best mean CV accuracy).
    EXPECT_EQ(count(db, "select trial_id from final_runs where kind = 'final'"),
              count(db, "select trial_id from leaderboard order by cv_mean desc, trial limit 1"));
    // Every trial stored exactly folds 0, 1 and 2.
    EXPECT_EQ(count(db, "select count(*) from trials t where (select group_concat(fold) from "
                        "(select fold from folds f where f.trial_id = t.id order by fold)) != '0,1,2'"),
              0);
    EXPECT_EQ(count(db, "select sum(count) from confusion where final_run_id is not null"), 48);
    EXPECT_EQ(count(db, "select count(*) from leaderboard"), 4);
  }

  const auto results = run_sweep_command({"results"}, dir_, "results");
  ASSERT_EQ(results.exit_code, 0) << results.err;
  EXPECT_NE(results.out.find("accuracy (mean ± std)"), std::string::npos) << results.out;
  EXPECT_NE(results.out.find("hidden_size"), std::string::npos) << results.out;

  const auto show = run_sweep_command({"show", "1", "--db", "results/tiny.db"}, dir_, "show");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("class0"), std::string::npos) << "confusion labelled with class names";

  const auto csv = run_sweep_command({"results", "--format", "csv"}, dir_, "csv");
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 5) << csv.out;

  const auto json = run_sweep_command({"export", "--format", "json"}, dir_, "json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_GT(std::count(json.out.begin(), json.out.end(), '\n'), 100);
  EXPECT_NE(json.out.find("\"kind\": \"final\""), std::string::npos) << json.out.substr(0, 400);

  const auto reproduce = run_sweep_command({"reproduce", "--best"}, dir_, "reproduce");
  EXPECT_EQ(reproduce.exit_code, 0) << reproduce.out << reproduce.err;
  EXPECT_NE(reproduce.out.find("identical"), std::string::npos) << reproduce.out;

  // Running the finished sweep again trains nothing.
  const auto again = run_sweep_command({"run", "tiny.yaml"}, dir_, "again");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  SQLite::Database db(dir_ + "/results/tiny.db");
  EXPECT_EQ(count(db, "select count(*) from folds"), 12);
  EXPECT_EQ(count(db, "select count(*) from final_runs where kind = 'final'"), 1);
}

// Interrupted at a chosen point (after the 5th stored unit, one unit at a time), never at a
// chosen time: the same folds are stored before the resume on every run of this test.
TEST_F(SweepEndToEnd, InterruptThenResumeLosesNothingAndRepeatsNothing) {
  write("long.yaml", sweep_text("long", 6, "[8, 12, 16, 20]", 0));
  const std::string db_path = dir_ + "/results/long.db";
  const auto first = run_sweep_command({"run", "long.yaml", "-j", "1", "--stop-after-units", "5"},
                                       dir_, "first");
  ASSERT_EQ(first.exit_code, 130) << first.err;
  EXPECT_NE(first.err.find("to resume"), std::string::npos) << first.err;
  EXPECT_NE(first.out.find("5 units trained by this run"), std::string::npos) << first.out;

  // (trial, fold) → rowid: a fold retrained on resume would be deleted and inserted anew.
  std::vector<std::tuple<std::int64_t, int, std::int64_t>> before;
  {
    SQLite::Database db(db_path);
    EXPECT_EQ(count(db, "select count(*) from trials where status = 'running'"), 0);
    EXPECT_EQ(count(db, "select count(*) from trials where status = 'completed'"), 1);
    EXPECT_EQ(count(db, "select count(*) from final_runs"), 0);
    SQLite::Statement q(db, "select trial_id, fold, rowid from folds order by trial_id, fold");
    while (q.executeStep()) {
      before.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt(), q.getColumn(2).getInt64());
    }
  }
  ASSERT_EQ(before.size(), 5u);

  const auto second = run_sweep_command({"run", "long.yaml"}, dir_, "second");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("19 units trained by this run"), std::string::npos) << second.out;
  SQLite::Database db(db_path);
  EXPECT_EQ(count(db, "select count(*) from sweeps"), 1);
  EXPECT_EQ(count(db, "select count(*) from trials"), 8);
  EXPECT_EQ(count(db, "select count(*) from trials where status = 'completed'"), 8);
  EXPECT_EQ(count(db, "select count(*) from folds"), 24);
  EXPECT_EQ(count(db, "select count(*) from (select distinct trial_id, fold from folds)"), 24);
  EXPECT_EQ(count(db, "select count(*) from folds where fold not in (0, 1, 2)"), 0);
  // Folds stored before the interrupt are still there and were not trained again.
  for (const auto& [trial, fold, rowid] : before) {
    SQLite::Statement q(db, "select rowid from folds where trial_id = ? and fold = ?");
    q.bind(1, static_cast<int64_t>(trial));
    q.bind(2, fold);
    ASSERT_TRUE(q.executeStep()) << "fold lost: trial " << trial << " fold " << fold;
    EXPECT_EQ(q.getColumn(0).getInt64(), rowid) << "retrained: trial " << trial << " fold " << fold;
  }
}

// The signal itself: Ctrl-C during training exits 130, says how to resume, and leaves no trial
// marked running. (What is stored depends on when the signal lands; resume correctness is the
// test above.)
TEST_F(SweepEndToEnd, CtrlCStopsCleanly) {
  write("long.yaml", sweep_text("long", 2000, "[8, 12]", 0));
  const std::string db_path = dir_ + "/results/long.db";
  Child child({"run", "long.yaml", "-j", "1"}, dir_, "first");
  // Wait until the sweep has started training (its trial is claimed), then Ctrl-C.
  long long running = 0;
  for (int i = 0; i < 1200 && running == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!fs::exists(db_path)) continue;
    try {
      SQLite::Database db(db_path);
      running = count(db, "select count(*) from trials where status = 'running'");
    } catch (const std::exception&) {
    }
  }
  ASSERT_EQ(running, 1) << "the sweep claimed no trial within a minute";
  child.signal(SIGINT);
  const auto first = child.wait();
  ASSERT_EQ(first.exit_code, 130) << first.err;
  EXPECT_NE(first.err.find("to resume"), std::string::npos) << first.err;
  SQLite::Database db(db_path);
  EXPECT_EQ(count(db, "select count(*) from trials where status = 'running'"), 0);
  EXPECT_EQ(count(db, "select count(*) from trials where status = 'pending'"), 4);
}

// --set overrides are part of the sweep: reproduce re-reads them, so a sweep run with a changed
// seed and fold count still reproduces identically.
TEST_F(SweepEndToEnd, ReproduceHonoursTheStoredOverrides) {
  write("tiny.yaml", sweep_text("tiny", 3, "[8]"));
  const auto run = run_sweep_command(
      {"run", "tiny.yaml", "--set", "seed=4242", "--set", "cv.folds=4"}, dir_, "run");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  {
    SQLite::Database db(dir_ + "/results/tiny.db");
    EXPECT_EQ(count(db, "select count(*) from folds"), 8);
    EXPECT_EQ(count(db, "select seed from sweeps"), 4242);
  }
  const auto reproduce = run_sweep_command({"reproduce", "--best"}, dir_, "reproduce");
  EXPECT_EQ(reproduce.exit_code, 0) << reproduce.out << reproduce.err;
  EXPECT_NE(reproduce.out.find("identical"), std::string::npos) << reproduce.out;
}

TEST_F(SweepEndToEnd, TwoProcessesShareOneDatabase) {
  write("shared.yaml", sweep_text("shared", 20, "[8, 12, 16]", 0));
  Child a({"run", "shared.yaml", "-j", "1"}, dir_, "a");
  Child b({"run", "shared.yaml", "-j", "1"}, dir_, "b");
  const auto ra = a.wait();
  const auto rb = b.wait();
  EXPECT_EQ(ra.exit_code, 0) << ra.err;
  EXPECT_EQ(rb.exit_code, 0) << rb.err;
  EXPECT_EQ(ra.err.find("locked"), std::string::npos) << ra.err;
  EXPECT_EQ(rb.err.find("locked"), std::string::npos) << rb.err;
  // Each trial was trained by exactly one of the two processes.
  for (int trial = 1; trial <= 6; ++trial) {
    const std::regex done("trial " + std::to_string(trial) + " completed");
    const auto times = std::distance(std::sregex_iterator(ra.err.begin(), ra.err.end(), done), {}) +
                       std::distance(std::sregex_iterator(rb.err.begin(), rb.err.end(), done), {});
    EXPECT_EQ(times, 1) << "trial " << trial << "\n" << ra.err << "\n" << rb.err;
  }
  SQLite::Database db(dir_ + "/results/shared.db");
  EXPECT_EQ(count(db, "select count(*) from sweeps"), 1);
  EXPECT_EQ(count(db, "select count(*) from trials"), 6);
  EXPECT_EQ(count(db, "select count(*) from trials where status = 'completed'"), 6);
  EXPECT_EQ(count(db, "select count(*) from folds"), 18);
  EXPECT_EQ(count(db, "select count(*) from final_runs where kind = 'final'"), 1);
}

TEST_F(SweepEndToEnd, TwoProcessesFinishingTogetherRecordOneFinalRun) {
  write("done.yaml", sweep_text("done", 3, "[8, 12]"));
  ASSERT_EQ(run_sweep_command({"run", "done.yaml", "--no-final"}, dir_, "trials").exit_code, 0);
  // Both find every trial finished and no final run yet.
  Child a({"run", "done.yaml"}, dir_, "a");
  Child b({"run", "done.yaml"}, dir_, "b");
  EXPECT_EQ(a.wait().exit_code, 0);
  EXPECT_EQ(b.wait().exit_code, 0);
  SQLite::Database db(dir_ + "/results/done.db");
  EXPECT_EQ(count(db, "select count(*) from final_runs where kind = 'final'"), 1);
}

TEST_F(SweepEndToEnd, ReproduceWorksFromAnotherDirectory) {
  // A CSV table whose path is relative to the sweep file.
  fs::create_directories(dir_ + "/proj/data");
  std::string csv = "a,b,c,d,e,f,label\n";
  for (int r = 0; r < 90; ++r) {
    const int label = r % 3;
    for (int f = 0; f < 6; ++f) csv += std::to_string(label * 0.8 + ((r * 7 + f * 13) % 11) / 10.0) + ",";
    csv += std::string(1, static_cast<char>('x' + label)) + "\n";
  }
  write("proj/data/t.csv", csv);
  write("proj/t.yaml", R"(name: t
data: {format: csv, path: data/t.csv}
cv: {folds: 3}
device: cpu
parameters:
  hidden_size: {value: 4}
  timesteps: {value: 3}
  epochs: {value: 2}
)");
  ASSERT_EQ(run_sweep_command({"run", "t.yaml"}, dir_ + "/proj", "run").exit_code, 0);
  fs::create_directories(dir_ + "/elsewhere");
  const auto r = run_sweep_command({"reproduce", "--best", "--db", "../proj/results/t.db"},
                                   dir_ + "/elsewhere", "reproduce");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("identical"), std::string::npos) << r.out;
}

TEST_F(SweepEndToEnd, BadSweepFilesNameFileLineAndKey) {
  struct Case {
    std::string text, expected;
  };
  const std::vector<Case> cases = {
      {"name: bad\nparameters:\n  learning_rat: {value: 0.1}\n", "bad.yaml:3:"},
      {"name: bad\nparameters:\n  hidden_size: {values: [16, abc]}\n", "bad.yaml:3:"},
      {"name: bad\nparameters:\n  dropout: {value: 3}\n", "bad.yaml:3:"},
      {"name: bad\nmethod: bayes\n", "bad.yaml:2:"},
      {"name: bad\nparameters: [oops\n", "bad.yaml:"},
  };
  for (const auto& c : cases) {
    write("bad.yaml", c.text);
    const auto r = run_sweep_command({"validate", "bad.yaml"}, dir_, "bad");
    EXPECT_EQ(r.exit_code, 65) << c.text << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << "for:\n" << c.text << "got: " << r.err;
  }
  write("typo.yaml", "name: bad\nparameters:\n  learning_rat: {value: 0.1}\n");
  const auto typo = run_sweep_command({"run", "typo.yaml"}, dir_, "typo");
  EXPECT_EQ(typo.exit_code, 65);
  EXPECT_NE(typo.err.find("learning_rate"), std::string::npos) << "suggests the right key: " << typo.err;
  EXPECT_FALSE(fs::exists(dir_ + "/results/bad.db")) << "nothing ran";
}

TEST_F(SweepEndToEnd, FailedTrialsAreRecordedAndTheSweepGoesOn) {
  // Validation rejects a sweep file whose trials cannot fit the data (timesteps 7 over 32
  // features), so the failing trials come from the database: as an older grid would have left
  // them, pending, beside the trials of the file.
  write("failing.yaml", sweep_text("failing", 3, "[8]"));
  ASSERT_EQ(run_sweep_command({"run", "failing.yaml", "--no-final"}, dir_, "first").exit_code, 0);
  {
    SQLite::Database db(dir_ + "/results/failing.db", SQLite::OPEN_READWRITE);
    db.exec("insert into trials (sweep_id, number, params_json, params_hash, seed, status) "
            "select sweep_id, number + 10, replace(params_json, '\"timesteps\":16', '\"timesteps\":7'), "
            "params_hash || '-7', seed, 'pending' from trials");
    ASSERT_EQ(count(db, "select count(*) from trials where params_json like '%\"timesteps\":7%'"), 2);
  }
  const auto r = run_sweep_command({"run", "failing.yaml"}, dir_, "failing");
  EXPECT_EQ(r.exit_code, 2) << "the exit status counts the failed trials\n" << r.err;
  SQLite::Database db(dir_ + "/results/failing.db");
  EXPECT_EQ(count(db, "select count(*) from trials where status = 'completed'"), 2);
  EXPECT_EQ(count(db, "select count(*) from trials where status = 'failed' and error like '%7%'"), 2);
  EXPECT_EQ(count(db, "select count(*) from final_runs"), 1) << "the best completed trial is still scored";
  const auto results = run_sweep_command({"results"}, dir_, "results");
  EXPECT_NE(results.out.find("failed"), std::string::npos) << results.out;
}

TEST_F(SweepEndToEnd, FreshStartsANewSweepBesideTheOld) {
  write("tiny.yaml", sweep_text("tiny", 2, "[8]"));
  ASSERT_EQ(run_sweep_command({"run", "tiny.yaml"}, dir_, "one").exit_code, 0);
  const auto fresh = run_sweep_command({"run", "tiny.yaml", "--fresh"}, dir_, "two");
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  SQLite::Database db(dir_ + "/results/tiny.db");
  EXPECT_EQ(count(db, "select count(*) from sweeps"), 2);
  EXPECT_EQ(count(db, "select count(*) from trials where status = 'completed'"), 4);
  // Same seed, same data: the fresh sweep reproduces the first one's fold metrics exactly.
  EXPECT_EQ(count(db, "select count(*) from folds f1 join trials t1 on t1.id = f1.trial_id "
                      "join trials t2 on t2.params_hash = t1.params_hash and t2.sweep_id != t1.sweep_id "
                      "join folds f2 on f2.trial_id = t2.id and f2.fold = f1.fold "
                      "where f1.accuracy = f2.accuracy and f1.loss = f2.loss and t1.sweep_id = 1"),
            6);
}

TEST_F(SweepEndToEnd, MissingDataFileSaysWhereToPutIt) {
  write("emo.yaml", "name: emo\ndata: {format: csv, path: data/emotions.csv}\n");
  const auto r = run_sweep_command({"run", "emo.yaml"}, dir_, "emo");
  EXPECT_EQ(r.exit_code, 65) << r.err;
  EXPECT_NE(r.err.find("emotions.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kaggle"), std::string::npos) << r.err;
}

TEST_F(SweepEndToEnd, ValidateListsTrialsWithoutTraining) {
  write("tiny.yaml", sweep_text("tiny", 4, "[8, 16]"));
  const auto r = run_sweep_command({"validate", "tiny.yaml", "--set", "cv.folds=4"}, dir_, "validate");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4 trials × 4 folds"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir_ + "/results"));
}


TEST_F(SweepEndToEnd, EditedGridKeepsFinishedTrialsAndAddsNewOnes) {
  write("grow.yaml", sweep_text("grow", 2, "[8]"));
  ASSERT_EQ(run_sweep_command({"run", "grow.yaml", "--no-final"}, dir_, "first").exit_code, 0);
  const std::string fold_ids = "select group_concat(rowid) from (select rowid from folds order by rowid)";
  std::string before;
  {
    SQLite::Database db(dir_ + "/results/grow.db");
    before = db.execAndGet(fold_ids).getString();
  }
  write("grow.yaml", sweep_text("grow", 2, "[8, 12]"));
  const auto second = run_sweep_command({"run", "grow.yaml", "--no-final"}, dir_, "second");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  SQLite::Database db(dir_ + "/results/grow.db");
  EXPECT_EQ(count(db, "select count(*) from sweeps"), 1);
  EXPECT_EQ(count(db, "select count(*) from trials where status = 'completed'"), 4);
  // The first two trials keep their numbers and folds; the new ones come after them.
  EXPECT_EQ(count(db, "select count(*) from trials t join trial_params p on p.trial_id = t.id "
                      "where p.name = 'hidden_size' and p.value = '8' and t.number in (1, 2)"),
            2);
  EXPECT_EQ(db.execAndGet(fold_ids).getString().rfind(before, 0), 0u) << "old folds kept, in place";
  EXPECT_EQ(count(db, "select count(*) from folds"), 12);
}

TEST_F(SweepEndToEnd, ReadmeSweepFileExampleIsValid) {
  std::ifstream in(std::string(EEGSWEEP_SOURCE_DIR) + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const auto start = readme.find("```yaml\n");
  ASSERT_NE(start, std::string::npos) << "README.md has no yaml example";
  const auto body = start + 8;
  write("example.yaml", readme.substr(body, readme.find("```", body) - body));
  // validate reads the data too: a table shaped as the example says (label and subject columns,
  // its three classes), 10 subjects so that 5 grouped folds remain after the test split.
  fs::create_directories(dir_ + "/data");
  write("data/emotions.csv", emotions_like_csv(true));
  const auto r = run_sweep_command({"validate", "example.yaml"}, dir_, "example");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// README's "Coming from W&B": the W&B file gets every problem in one validate, exactly the
// output the README shows, and the edited file is valid.
TEST_F(SweepEndToEnd, ReadmeWandbBeforeAndAfter) {
  std::ifstream in(std::string(EEGSWEEP_SOURCE_DIR) + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const auto section = readme.find("### Coming from W&B");
  ASSERT_NE(section, std::string::npos) << "README.md has no Coming from W&B section";
  // The next fenced block of `kind` after `from`: its text and where it ends.
  const auto block = [&](const std::string& kind, std::size_t from) {
    const auto start = readme.find("```" + kind + "\n", from);
    if (start == std::string::npos) return std::make_pair(std::string(), std::string::npos);
    const auto body = start + 4 + kind.size();
    const auto end = readme.find("```", body);
    return std::make_pair(readme.substr(body, end - body), end + 3);
  };
  const auto before = block("yaml", section);
  const auto output = block("text", before.second);
  const auto after = block("yaml", output.second);
  ASSERT_FALSE(before.first.empty() || output.first.empty() || after.first.empty());

  write("emotions.yaml", before.first);
  const auto r = run_sweep_command({"validate", "emotions.yaml"}, dir_, "before");
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(r.err, output.first);

  write("emotions.csv", emotions_like_csv(false));  // validate reads the data too
  write("emotions.yaml", after.first);
  const auto fixed = run_sweep_command({"validate", "emotions.yaml"}, dir_, "after");
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_NE(fixed.out.find("sweep 'emotions'"), std::string::npos) << fixed.out;
  // What remains on stderr: the two warnings and the notes, no error.
  EXPECT_NE(fixed.err.find("sweep: warning: emotions.yaml:1:10: key 'program'"), std::string::npos) << fixed.err;
  EXPECT_NE(fixed.err.find("sweep: note: emotions.yaml: key 'name': not given"), std::string::npos) << fixed.err;
  EXPECT_EQ(fixed.err.find("error"), std::string::npos) << fixed.err;
}

}  // namespace
}  // namespace eegsweep
