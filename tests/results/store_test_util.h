#pragma once
// Shared by the results tests: a temporary directory, small records to store, and plain SQL
// through the sqlite3 C API, as a user's `sqlite3 FILE 'select …'` would see the file.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "results/store.h"

namespace eegsweep::test {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("eegsweep_results_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline SweepInfo make_sweep_info(const std::string& name, bool maximize = true) {
  SweepInfo info;
  info.name = name;
  info.description = "a test sweep";
  info.spec_path = "sweeps/" + name + ".yaml";
  info.spec_text = "name: " + name + "\n";
  info.identity_hash = "identity-" + name;
  info.overrides_json = R"(["epochs=3"])";
  info.dataset_source = "synthetic";
  info.dataset_hash = "data-hash";
  info.dataset_rows = 120;
  info.dataset_features = 8;
  info.class_names = {"NEGATIVE", "NEUTRAL", "POSITIVE"};
  info.metric_name = maximize ? "accuracy" : "loss";
  info.maximize = maximize;
  info.seed = 18446744073709551557ull;  // above 2^63: must survive the store
  info.engine_version = "0.1.0";
  info.host = "testhost";
  info.device = "cpu";
  return info;
}

// Trial `number` has units = 16·(number+1), lr = 0.001·(number+1) and optimizer adam/sgd.
inline TrialRecord make_trial(int number) {
  TrialRecord trial;
  trial.number = number;
  const int units = 16 * (number + 1);
  const std::string lr = std::to_string(0.001 * (number + 1));
  const std::string optimizer = number % 2 == 0 ? "adam" : "sgd";
  trial.params_json = "{\"units\": " + std::to_string(units) + ", \"lr\": " + lr +
                      ", \"optimizer\": \"" + optimizer + "\"}";
  trial.params_hash = "hash-" + std::to_string(number);
  trial.params = {{"units", std::to_string(units)}, {"lr", lr}, {"optimizer", optimizer}};
  trial.seed = 1000 + static_cast<std::uint64_t>(number);
  return trial;
}

inline std::vector<TrialRecord> make_trials(int count) {
  std::vector<TrialRecord> trials;
  for (int i = 0; i < count; ++i) trials.push_back(make_trial(i));
  return trials;
}

inline Metrics make_metrics(double base, int classes) {
  Metrics m;
  m.loss = 1.5 - base;
  m.accuracy = base;
  m.precision_macro = base - 0.01;
  m.recall_macro = base - 0.02;
  m.f1_macro = base - 0.03;
  for (int c = 0; c < classes; ++c) {
    m.precision.push_back(base - 0.1 * c);
    m.recall.push_back(base - 0.05 * c);
    m.f1.push_back(base - 0.07 * c);
  }
  return m;
}

// A fold whose values all derive from (fold, base), so a read-back can be checked cell by cell.
inline FoldRecord make_fold(int fold, double base, int classes = 3, int epochs = 4) {
  FoldRecord record;
  record.fold = fold;
  record.train_rows = 80 + fold;
  record.val_rows = 20 + fold;
  record.best_epoch = epochs - 1;
  record.val = make_metrics(base, classes);
  record.confusion = ConfusionMatrix(classes);
  for (int t = 0; t < classes; ++t) {
    for (int p = 0; p < classes; ++p) {
      record.confusion.counts[static_cast<std::size_t>(t) * classes + p] = 10 * t + p + fold;
    }
  }
  for (int e = 0; e < epochs; ++e) {
    EpochRecord epoch;
    epoch.epoch = e;
    epoch.train_loss = 2.0 / (e + 1) + fold;
    epoch.val = make_metrics(base - 0.01 * (epochs - 1 - e), classes);
    epoch.seconds = 0.25 * (e + 1);
    record.epochs.push_back(epoch);
  }
  record.seconds = 1.5 + fold;
  record.backend_detail = "cpu: oneDNN GRU, fold " + std::to_string(fold);
  return record;
}

// Every row of a query as text ("NULL" for NULL).
inline std::vector<std::vector<std::string>> sql_rows(const std::string& path,
                                                      const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error("open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 60000);
  std::vector<std::vector<std::string>> rows;
  char* error = nullptr;
  const int rc = sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int columns, char** values, char**) {
        auto& result = *static_cast<std::vector<std::vector<std::string>>*>(out);
        std::vector<std::string> row;
        for (int c = 0; c < columns; ++c) row.emplace_back(values[c] ? values[c] : "NULL");
        result.push_back(std::move(row));
        return 0;
      },
      &rows, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("sql '" + sql + "': " + message);
  return rows;
}

inline const OwnerAlive kEveryoneAlive = [](const std::string&) { return true; };

}  // namespace eegsweep::test
