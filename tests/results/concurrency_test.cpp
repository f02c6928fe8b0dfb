// Several writers on one file, as several `sweep run` processes (or a scheduler's threads with
// their own Store) would be: each opens the same new file, opens the same sweep, adds the same
// trials, then claims and records until nothing is left. No "database is locked", every trial
// claimed exactly once, nothing lost.

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "tests/results/store_test_util.h"

namespace eegsweep {
namespace {

using test::sql_rows;
using test::TempDir;

constexpr int kTrials = 40;
constexpr int kFolds = 3;
constexpr int kEpochs = 5;

// Opens, joins the sweep, claims until none is left; returns the numbers it claimed.
std::vector<int> run_worker(const std::string& path, const std::string& owner) {
  Store store(path);
  const std::int64_t sweep = store.open_sweep(test::make_sweep_info("shared"), false);
  store.add_trials(sweep, test::make_trials(kTrials));
  std::vector<int> claimed;
  while (const auto trial = store.claim_trial(sweep, owner, test::kEveryoneAlive)) {
    claimed.push_back(trial->number);
    double sum = 0;
    for (int fold = 0; fold < kFolds; ++fold) {
      // Training happens outside any transaction; without it one writer could take every trial
      // before the others have opened the file, and nothing would be shared.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      const FoldRecord record = test::make_fold(fold, 0.5 + 0.01 * trial->number, 3, kEpochs);
      store.record_fold(trial->id, record);
      sum += record.val.accuracy;
    }
    store.finish_trial(trial->id, TrialStatus::completed, "", sum / kFolds, 0.0);
  }
  return claimed;
}

// What every run must leave, however the work was shared out.
void expect_complete_store(const std::string& path,
                           const std::map<std::string, std::vector<int>>& claims) {
  std::vector<int> all;
  int workers_with_trials = 0;
  std::string shares;
  for (const auto& [owner, numbers] : claims) {
    shares += " " + owner + ": " + std::to_string(numbers.size());
    workers_with_trials += numbers.empty() ? 0 : 1;
  }
  EXPECT_GE(workers_with_trials, 2) << "the writers never overlapped, so nothing was tested;"
                                    << shares;
  for (const auto& [owner, numbers] : claims) all.insert(all.end(), numbers.begin(), numbers.end());
  std::sort(all.begin(), all.end());
  std::vector<int> expected(kTrials);
  for (int i = 0; i < kTrials; ++i) expected[i] = i;
  EXPECT_EQ(all, expected) << "every trial claimed exactly once";

  EXPECT_EQ(sql_rows(path, "SELECT count(*) FROM sweeps")[0][0], "1");
  EXPECT_EQ(sql_rows(path, "SELECT count(*) FROM trials WHERE status = 'completed' AND owner "
                           "IS NULL")[0][0],
            std::to_string(kTrials));
  EXPECT_EQ(sql_rows(path, "SELECT count(*) FROM trial_params")[0][0],
            std::to_string(kTrials * 3));
  EXPECT_EQ(sql_rows(path, "SELECT count(*) FROM folds")[0][0], std::to_string(kTrials * kFolds));
  EXPECT_EQ(sql_rows(path, "SELECT count(*) FROM epochs")[0][0],
            std::to_string(kTrials * kFolds * kEpochs));
  EXPECT_EQ(sql_rows(path, "SELECT count(*) FROM confusion")[0][0],
            std::to_string(kTrials * kFolds * 9));
  // Results depend only on the trial number, so the best is the last, whoever ran it.
  EXPECT_EQ(sql_rows(path, "SELECT count(*) FROM leaderboard")[0][0], std::to_string(kTrials));
  EXPECT_EQ(sql_rows(path, "SELECT trial FROM leaderboard LIMIT 1")[0][0],
            std::to_string(kTrials - 1));
}

TEST(StoreConcurrency, ProcessesShareOneFileWithoutLocksOrLoss) {
  TempDir dir;
  const std::string path = dir.file("shared/results.db");  // created by whichever opens first
  constexpr int kChildren = 2;
  std::vector<pid_t> children;
  std::vector<int> read_ends;
  for (int c = 0; c < kChildren; ++c) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child: no gtest, no destructors of the parent's objects; report through the pipe.
      close(fds[0]);
      int status = 0;
      std::string report;
      try {
        for (int number : run_worker(path, "testhost:" + std::to_string(getpid()))) {
          report += std::to_string(number) + "\n";
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "worker %d: %s\n", getpid(), e.what());
        status = 1;
      }
      if (write(fds[1], report.data(), report.size()) != static_cast<ssize_t>(report.size())) status = 2;
      close(fds[1]);
      _exit(status);
    }
    close(fds[1]);
    children.push_back(pid);
    read_ends.push_back(fds[0]);
  }

  std::map<std::string, std::vector<int>> claims;
  // The test process is the third writer.
  EXPECT_NO_THROW(claims["parent"] = run_worker(path, "testhost:parent"));

  for (int c = 0; c < kChildren; ++c) {
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(read_ends[c], buffer, sizeof buffer)) > 0) text.append(buffer, n);
    close(read_ends[c]);
    int status = 0;
    ASSERT_EQ(waitpid(children[c], &status, 0), children[c]);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "child " << c << " failed (see stderr)";
    auto& numbers = claims["child" + std::to_string(c)];
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
      numbers.push_back(std::stoi(text.substr(start, end - start)));
    }
  }
  expect_complete_store(path, claims);
}

TEST(StoreConcurrency, ThreadsWithTheirOwnStoresShareOneFile) {
  TempDir dir;
  const std::string path = dir.file("results.db");
  constexpr int kThreads = 3;
  std::vector<std::vector<int>> claimed(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        claimed[t] = run_worker(path, "testhost:thread" + std::to_string(t));
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::map<std::string, std::vector<int>> claims;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(errors[t], "") << "thread " << t;
    claims["thread" + std::to_string(t)] = claimed[t];
  }
  expect_complete_store(path, claims);
}

}  // namespace
}  // namespace eegsweep
