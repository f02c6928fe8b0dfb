// `sweep report` through the built binary: the page's data equal the database's (plain SQL), the
// page drawn by a real headless browser has the expected content and no script errors, a
// database without completed trials gives a page that says so, and an unwritable -o exits 74
// and leaves nothing behind.
#include <gtest/gtest.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using testing::run_sweep_command;
namespace fs = std::filesystem;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// The JSON blob the page draws from.
nlohmann::json page_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const auto begin = html.find(open);
  if (begin == std::string::npos) return {};
  const auto end = html.find("</script>", begin);
  return nlohmann::json::parse(html.substr(begin + open.size(), end - begin - open.size()));
}

// Debian's headless Chromium (scripts/test.sh installs it), else a full Chromium.
std::string find_browser() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  std::string dir;
  std::vector<std::string> candidates;
  while (std::getline(dirs, dir, ':')) {
    for (const char* name : {"chromium-headless-shell", "chromium", "chromium-browser"}) {
      candidates.push_back(dir + "/" + name);
    }
  }
  for (const auto& c : candidates) {
    if (::access(c.c_str(), X_OK) == 0) return c;
  }
  return {};
}

// The DOM after the page's scripts ran (--dump-dom), or "" when the browser failed.
std::string dump_dom(const std::string& browser, const std::string& page, const std::string& profile_dir) {
  const std::string command = "timeout 120 '" + browser +
                              "' --headless --no-sandbox --disable-gpu --no-first-run "
                              "--user-data-dir='" + profile_dir + "' --dump-dom 'file://" + page +
                              "' 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return {};
  std::string dom;
  std::array<char, 65536> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) dom.append(buffer.data(), n);
  ::pclose(pipe);
  return dom;
}

// The counts of what the page drew, against the database (plain SQL) and the page's parameters.
void expect_drawn_as_stored(const std::string& dom, const std::string& db_file, const std::string& html) {
  SQLite::Database db(db_file);
  // The report shows the newest sweep of the database.
  const std::string sweep = "(select max(id) from sweeps)";
  const auto count = [&](const std::string& sql) { return static_cast<std::size_t>(db.execAndGet(sql).getInt()); };
  const auto trials = count("select count(*) from trials where sweep_id = " + sweep);
  const auto completed = count("select count(*) from trials where status = 'completed' and cv_mean is not null and sweep_id = " + sweep);
  const auto timed = count("select count(*) from trials where started_at is not null and finished_at is not null and sweep_id = " + sweep);
  const auto folds = count("select count(*) from folds f join trials t on t.id = f.trial_id where t.sweep_id = " + sweep);
  const auto classes = count("select json_array_length(class_names) from sweeps where id = " + sweep);
  const std::size_t params = page_data(html)["params"].size();
  // The leaderboard's best trial is the one the curves' and confusion sections open on.
  const std::string best_id =
      db.execAndGet("select trial_id from leaderboard where sweep_id = " + sweep + " order by rank, trial limit 1").getString();
  const auto best_folds = count("select count(*) from folds where trial_id = " + best_id);
  const auto best_finals = count("select count(*) from final_runs where trial_id = " + best_id);

  EXPECT_EQ(count_of(dom, "class=\"trial-row"), trials);
  EXPECT_EQ(count_of(dom, "class=\"pc-line\""), completed);
  EXPECT_EQ(count_of(dom, "class=\"axis pc-axis\""), params + 1);
  EXPECT_EQ(count_of(dom, "class=\"history-point\""), completed);
  EXPECT_EQ(count_of(dom, "class=\"slice-plot\""), params);
  EXPECT_EQ(count_of(dom, "class=\"slice-point\""), params * completed);
  EXPECT_EQ(count_of(dom, "class=\"importance-bar\""), params);
  EXPECT_EQ(count_of(dom, "class=\"lc-curve"), folds);
  EXPECT_EQ(count_of(dom, "class=\"lc-best\""), folds);
  EXPECT_EQ(count_of(dom, "class=\"lc-detail\""), 3 * best_folds);
  // Each fold, their sum, and the final run's test rows.
  EXPECT_GE(best_finals, 1u);
  EXPECT_EQ(count_of(dom, "class=\"heatmap\""), best_folds + 1 + best_finals);
  EXPECT_EQ(count_of(dom, "class=\"cm-cell\""), (best_folds + 1 + best_finals) * classes * classes);
  EXPECT_EQ(count_of(dom, "class=\"timeline-bar\""), timed);
}

// A small random search with a log-distributed parameter (log axes), then, added with SQL as
// another process would leave them, a failed trial and a pruned trial without folds.
class Report : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new fixtures::TempDir();
    temp_->write("small.yaml", R"(name: small
method: random
run_cap: 5
data:
  format: synthetic
  synthetic: {rows: 150, features: 8, classes: 3, noise: 0.8, seed: 3}
cv: {folds: 3}
seed: 11
device: cpu
parameters:
  hidden_size: {values: [4, 8]}
  learning_rate: {distribution: log_uniform_values, min: 0.001, max: 0.05}
  timesteps: {value: 4}
  epochs: {value: 4}
)");
    const auto run = run_sweep_command({"run", "small.yaml"}, temp_->path(), "run");
    ASSERT_EQ(run.exit_code, 0) << run.err;
    SQLite::Database db(temp_->file("results/small.db"), SQLite::OPEN_READWRITE);
    db.exec(R"(insert into trials (sweep_id, number, params_json, params_hash, seed, status, error)
               select sweep_id, 90, '{"hidden_size":8,"learning_rate":0.002,"timesteps":4,"epochs":4}',
                      'failed-by-test', '1', 'failed', 'cuDNN said no <script>'
               from trials limit 1)");
    db.exec(R"(insert into trials (sweep_id, number, params_json, params_hash, seed, status, error)
               select sweep_id, 91, '{"hidden_size":4,"learning_rate":0.04,"timesteps":4,"epochs":4}',
                      'pruned-by-test', '2', 'pruned', 'pruned at epoch 2: below the median'
               from trials limit 1)");
    const auto report = run_sweep_command({"report", "-o", "report.html"}, temp_->path(), "report");
    ASSERT_EQ(report.exit_code, 0) << report.err;
  }
  static void TearDownTestSuite() {
    delete temp_;
    temp_ = nullptr;
  }
  static std::string page() { return temp_->file("report.html"); }
  static std::string db_path() { return temp_->file("results/small.db"); }
  static fixtures::TempDir* temp_;
};

fixtures::TempDir* Report::temp_ = nullptr;

TEST_F(Report, PageDataEqualTheDatabase) {
  const std::string html = read_text(page());
  const auto data = page_data(html);
  ASSERT_TRUE(data.is_object()) << "no #report-data blob in the page";
  SQLite::Database db(db_path());
  EXPECT_EQ(data["sweep"]["name"], "small");
  EXPECT_EQ(data["trials"].size(), static_cast<std::size_t>(db.execAndGet("select count(*) from trials").getInt()));
  SQLite::Statement means(db, "select number, cv_mean, cv_std, status from trials");
  int checked = 0;
  while (means.executeStep()) {
    const int number = means.getColumn(0).getInt();
    for (const auto& t : data["trials"]) {
      if (t["number"] != number) continue;
      EXPECT_EQ(t["status"], means.getColumn(3).getString());
      if (means.getColumn(1).isNull()) {
        EXPECT_TRUE(t["cv_mean"].is_null());
      } else {
        EXPECT_EQ(t["cv_mean"].get<double>(), means.getColumn(1).getDouble()) << "trial " << number;
        EXPECT_EQ(t["cv_std"].get<double>(), means.getColumn(2).getDouble()) << "trial " << number;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 7);
  // Every confusion cell of every fold, and the fold accuracy at its kept epoch.
  SQLite::Statement cells(db, R"(select t.number, c.fold, c.true_class, c.predicted_class, c.count
                                 from confusion c join trials t on t.id = c.trial_id where c.fold is not null)");
  int cell_count = 0;
  while (cells.executeStep()) {
    for (const auto& t : data["trials"]) {
      if (t["number"] != cells.getColumn(0).getInt()) continue;
      const auto& fold = t["folds"][cells.getColumn(1).getInt()];
      EXPECT_EQ(fold["fold"], cells.getColumn(1).getInt() + 1);
      EXPECT_EQ(fold["confusion"][cells.getColumn(2).getInt()][cells.getColumn(3).getInt()],
                cells.getColumn(4).getInt64());
      ++cell_count;
    }
  }
  EXPECT_EQ(cell_count, db.execAndGet("select count(*) from confusion where fold is not null").getInt());
  // The log-uniform parameter gets a log axis; the constant ones are no axis at all.
  std::vector<std::string> axes;
  for (const auto& p : data["params"]) {
    axes.push_back(p["name"]);
    if (p["name"] == "learning_rate") EXPECT_TRUE(p["log"].get<bool>());
    if (p["name"] == "hidden_size") EXPECT_FALSE(p["log"].get<bool>());
  }
  EXPECT_EQ(axes, (std::vector<std::string>{"hidden_size", "learning_rate"}));
  // Stored text cannot close the data's <script> element.
  EXPECT_EQ(count_of(html, "cuDNN said no <script>"), 0u);
}

TEST_F(Report, HeadlessBrowserDrawsEverySectionWithoutScriptErrors) {
  const std::string browser = find_browser();
  if (browser.empty()) {
    GTEST_SKIP() << "no chromium-headless-shell or chromium on PATH (scripts/test.sh installs "
                    "chromium-headless-shell; the install failed here)";
  }
  const std::string dom = dump_dom(browser, page(), temp_->file("chromium-profile"));
  ASSERT_FALSE(dom.empty()) << browser << " printed no DOM";
  ASSERT_NE(dom.find("data-report=\"drawn\""), std::string::npos) << "the page's script did not finish:\n" << dom.substr(0, 4000);
  EXPECT_NE(dom.find("<div id=\"report-errors\"></div>"), std::string::npos)
      << "script errors:\n" << dom.substr(dom.find("report-errors"), 3000);

  expect_drawn_as_stored(dom, db_path(), read_text(page()));
  // The fixture's own numbers: run_cap 5 trained trials, plus the failed and the pruned one.
  EXPECT_EQ(count_of(dom, "class=\"trial-row"), 7u);
  EXPECT_EQ(count_of(dom, "class=\"pc-line\""), 5u);
  EXPECT_EQ(count_of(dom, "class=\"lc-curve"), 5u * 3u);
  // The failed and pruned trials are listed with their reasons (drawn elements, not the JSON the
  // page carries, which the dumped DOM also holds).
  EXPECT_NE(dom.find("<div class=\"reason\">cuDNN said no &lt;script&gt;</div>"), std::string::npos);
  EXPECT_NE(dom.find("<div class=\"reason\">pruned at epoch 2: below the median</div>"), std::string::npos);
  EXPECT_EQ(dom.find("id=\"no-completed-trials\""), std::string::npos);
}

// The demo sweep's own database, which CI makes before the tests (`build/sweep run
// sweeps/grid.yaml`) in the source tree.
TEST(ReportOfTheDemoSweep, DrawsEveryTrialOfResultsGridDb) {
  const std::string db = std::string(EEGSWEEP_SOURCE_DIR) + "/results/grid.db";
  if (!fs::exists(db)) GTEST_SKIP() << db << " is absent: run build/sweep run sweeps/grid.yaml first";
  const std::string browser = find_browser();
  if (browser.empty()) GTEST_SKIP() << "no chromium-headless-shell or chromium on PATH (scripts/test.sh installs it)";
  fixtures::TempDir dir;
  const auto r = run_sweep_command({"report", "--db", db, "-o", "grid.html"}, dir.path(), "report");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string dom = dump_dom(browser, dir.file("grid.html"), dir.file("profile"));
  ASSERT_NE(dom.find("data-report=\"drawn\""), std::string::npos) << dom.substr(0, 3000);
  EXPECT_NE(dom.find("<div id=\"report-errors\"></div>"), std::string::npos)
      << dom.substr(dom.find("report-errors"), 3000);
  if (SQLite::Database(db).execAndGet("select count(*) from leaderboard").getInt() == 0) {
    GTEST_SKIP() << db << " has no completed trial yet: only the page's loading was checked";
  }
  expect_drawn_as_stored(dom, db, read_text(dir.file("grid.html")));
}

TEST_F(Report, ADatabaseWithoutCompletedTrialsGivesAPageThatSaysSo) {
  fixtures::TempDir dir;
  fs::copy_file(db_path(), dir.file("copy.db"));
  {
    SQLite::Database db(dir.file("copy.db"), SQLite::OPEN_READWRITE);
    db.exec("update trials set status = 'pending', cv_mean = null, cv_std = null");
  }
  const auto r = run_sweep_command({"report", "--db", "copy.db", "-o", "empty.html"}, dir.path(), "report");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = read_text(dir.file("empty.html"));
  EXPECT_EQ(page_data(html)["trials"].size(), 7u);

  const std::string browser = find_browser();
  if (browser.empty()) GTEST_SKIP() << "no chromium-headless-shell or chromium on PATH: the drawn page is not checked";
  const std::string dom = dump_dom(browser, dir.file("empty.html"), dir.file("profile"));
  EXPECT_NE(dom.find("id=\"no-completed-trials\">No trial has completed yet"), std::string::npos)
      << dom.substr(0, 3000);
  EXPECT_NE(dom.find("<div id=\"report-errors\"></div>"), std::string::npos);
  EXPECT_EQ(count_of(dom, "class=\"trial-row"), 7u);
  EXPECT_EQ(count_of(dom, "class=\"pc-line\""), 0u);
}

TEST_F(Report, AnUnwritableOutputExits74AndLeavesNothingBehind) {
  fixtures::TempDir target, work;  // the output's folder; the child's folder (its .out/.err)
  target.write("not-a-dir", "x");
  const auto r = run_sweep_command({"report", "--db", db_path(), "-o", target.file("not-a-dir/report.html")},
                                   work.path(), "unwritable");
  EXPECT_EQ(r.exit_code, 74) << r.err;
  EXPECT_NE(r.err.find("not-a-dir/report.html"), std::string::npos) << r.err;

  // A disk that fills up half-way through the page: the partial file is removed.
  testing::ChildOptions small_disk;
  small_disk.max_file_bytes = 50000;
  const auto full = run_sweep_command({"report", "--db", db_path(), "-o", target.file("report.html")},
                                      work.path(), "full", small_disk);
  EXPECT_EQ(full.exit_code, 74) << full.err;
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(target.path())) left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"not-a-dir"});
}

// Grouped data: a leave-one-group-out sweep with two test groups (scores per held-out group and
// per test group), and a grouped k-fold sweep (which groups each fold holds; no per-group score).
class GroupedReport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new fixtures::TempDir();
    const std::string common = R"(
method: grid
data:
  format: synthetic
  synthetic: {rows: 150, features: 8, classes: 3, noise: 0.8, groups: 5, seed: 3}
seed: 5
device: cpu
parameters:
  hidden_size: {values: [4, 8]}
  timesteps: {value: 4}
  epochs: {value: 3}
)";
    temp_->write("logo.yaml", "name: logo\ncv: {method: leave_one_group_out, group_by: recording}\n"
                              "test: {groups: [rec3, rec4]}\n" + common);
    temp_->write("kfold.yaml", "name: kfold\ncv: {folds: 2, group_by: recording}\ntest_split: 0\n" + common);
    for (const std::string name : {"logo", "kfold"}) {
      const auto run = run_sweep_command({"run", name + ".yaml"}, temp_->path(), "run-" + name);
      ASSERT_EQ(run.exit_code, 0) << run.err;
      const auto report = run_sweep_command({"report", "--db", "results/" + name + ".db", "-o", name + ".html"},
                                            temp_->path(), "report-" + name);
      ASSERT_EQ(report.exit_code, 0) << report.err;
    }
  }
  static void TearDownTestSuite() {
    delete temp_;
    temp_ = nullptr;
  }
  static std::string dom_of(const std::string& name) {
    const std::string browser = find_browser();
    if (browser.empty()) return {};
    return dump_dom(browser, temp_->file(name + ".html"), temp_->file("profile-" + name));
  }
  static fixtures::TempDir* temp_;
};

fixtures::TempDir* GroupedReport::temp_ = nullptr;

TEST_F(GroupedReport, PageDataCarryEachFoldsHeldOutGroupAndEachTestGroupsScore) {
  const auto data = page_data(read_text(temp_->file("logo.html")));
  SQLite::Database db(temp_->file("results/logo.db"));
  SQLite::Statement folds(db, R"(select t.number, f.fold, sf.held_out_group from folds f
                                 join trials t on t.id = f.trial_id
                                 join split_folds sf on sf.sweep_id = t.sweep_id and sf.fold = f.fold)");
  int checked = 0;
  while (folds.executeStep()) {
    for (const auto& t : data["trials"]) {
      if (t["number"] != folds.getColumn(0).getInt()) continue;
      EXPECT_EQ(t["folds"][folds.getColumn(1).getInt()]["held_out_group"], folds.getColumn(2).getString());
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2 * 3);  // 2 trials × the 3 groups left after the 2 test groups
  SQLite::Statement groups(db, R"(select g.group_name, g.rows, g.accuracy, g.recall_macro from final_run_groups g
                                  join final_runs r on r.id = g.final_run_id where r.kind = 'final'
                                  order by g.group_name)");
  ASSERT_EQ(data["final_runs"].size(), 1u);
  const auto& page_groups = data["final_runs"][0]["groups"];
  std::vector<std::string> names;
  std::size_t i = 0;
  while (groups.executeStep()) {
    ASSERT_LT(i, page_groups.size());
    names.push_back(groups.getColumn(0).getString());
    EXPECT_EQ(page_groups[i]["group"], groups.getColumn(0).getString());
    EXPECT_EQ(page_groups[i]["rows"], groups.getColumn(1).getInt64());
    EXPECT_EQ(page_groups[i]["accuracy"].get<double>(), groups.getColumn(2).getDouble());
    EXPECT_EQ(page_groups[i]["balanced_accuracy"].get<double>(), groups.getColumn(3).getDouble());
    ++i;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"rec3", "rec4"}));
  EXPECT_EQ(page_groups.size(), 2u);
}

TEST_F(GroupedReport, BrowserDrawsAScorePerHeldOutGroupAndPerTestGroup) {
  const std::string dom = dom_of("logo");
  if (dom.empty()) GTEST_SKIP() << "no chromium-headless-shell or chromium on PATH (scripts/test.sh installs it)";
  ASSERT_NE(dom.find("data-report=\"drawn\""), std::string::npos) << dom.substr(0, 3000);
  EXPECT_NE(dom.find("<div id=\"report-errors\"></div>"), std::string::npos)
      << dom.substr(dom.find("report-errors"), 3000);
  SQLite::Database db(temp_->file("results/logo.db"));
  const auto count = [&](const std::string& sql) { return static_cast<std::size_t>(db.execAndGet(sql).getInt()); };
  EXPECT_EQ(count_of(dom, "class=\"group-point\""),
            count(R"(select count(*) from folds f join trials t on t.id = f.trial_id
                     join split_folds sf on sf.sweep_id = t.sweep_id and sf.fold = f.fold
                     where t.status = 'completed' and sf.held_out_group is not null)"));
  EXPECT_EQ(count_of(dom, "class=\"group-row\""), 3u);
  EXPECT_EQ(count_of(dom, "class=\"group-best-line\""), 1u);
  EXPECT_EQ(count_of(dom, "class=\"test-group-row\""), 2u);
  EXPECT_EQ(count_of(dom, "class=\"test-group-bar\""), 2u);
  // Each held-out group's row: its validation rows and the best trial's score there, as stored.
  SQLite::Statement best(db, R"(select sf.held_out_group, f.val_rows, printf('%.4f', f.accuracy) from folds f
                                join split_folds sf on sf.fold = f.fold
                                where f.trial_id = (select trial_id from leaderboard order by rank, trial limit 1))");
  int rows = 0;
  while (best.executeStep()) {
    const std::string row = "<tr class=\"group-row\"><td>" + best.getColumn(0).getString() + "</td><td>" +
                            best.getColumn(1).getString() + "</td><td>" + best.getColumn(2).getString() + "</td>";
    EXPECT_NE(dom.find(row), std::string::npos) << row;
    ++rows;
  }
  EXPECT_EQ(rows, 3);
  // Each test group's row as stored.
  SQLite::Statement tested(db, R"(select group_name, rows, printf('%.4f', accuracy), printf('%.4f', recall_macro)
                                  from final_run_groups)");
  while (tested.executeStep()) {
    const std::string row = "<tr class=\"test-group-row\"><td>" + tested.getColumn(0).getString() + "</td><td>" +
                            tested.getColumn(1).getString() + "</td><td>" + tested.getColumn(2).getString() +
                            "</td><td>" + tested.getColumn(3).getString() + "</td></tr>";
    EXPECT_NE(dom.find(row), std::string::npos) << row;
  }
}

TEST_F(GroupedReport, GroupedKFoldListsTheGroupsOfEachFoldAndNoPerGroupScore) {
  const std::string dom = dom_of("kfold");
  if (dom.empty()) GTEST_SKIP() << "no chromium-headless-shell or chromium on PATH (scripts/test.sh installs it)";
  ASSERT_NE(dom.find("data-report=\"drawn\""), std::string::npos) << dom.substr(0, 3000);
  EXPECT_NE(dom.find("<div id=\"report-errors\"></div>"), std::string::npos);
  EXPECT_EQ(count_of(dom, "class=\"fold-groups-row\""), 2u);
  EXPECT_EQ(count_of(dom, "class=\"group-point\""), 0u);
  EXPECT_EQ(count_of(dom, "class=\"test-group-row\""), 0u);
  // Each fold's groups with their validation rows, from split_rows.
  SQLite::Database db(temp_->file("results/kfold.db"));
  SQLite::Statement folds(db, R"(select fold, group_concat(g, ', ') from (
                                   select fold, group_name || ' (' || count(*) || ')' as g from split_rows
                                   where role = 'cv' group by fold, group_name order by fold, group_name)
                                 group by fold order by fold)");
  int n = 0;
  while (folds.executeStep()) {
    const std::string row = "<tr class=\"fold-groups-row\"><td>" + std::to_string(folds.getColumn(0).getInt() + 1) +
                            "</td><td>" + folds.getColumn(1).getString() + "</td></tr>";
    EXPECT_NE(dom.find(row), std::string::npos) << row;
    ++n;
  }
  EXPECT_EQ(n, 2);
}

}  // namespace
}  // namespace eegsweep
