#pragma once
// Internal to results/: the connection behind a Store and the transaction helpers shared by the
// writer (store.cpp) and the readers (queries.cpp). Never included outside results/.

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "results/store.h"

namespace eegsweep {

namespace store_detail {

// The connection and the file name errors quote. Store::Impl is this; the helpers below take the
// base so that they need no access to Store's private members.
struct Connection {
  std::string path;
  std::unique_ptr<SQLite::Database> db;
};

// BEGIN IMMEDIATE takes the write lock up front, so a read-modify-write never fails half-way with
// SQLITE_BUSY; the busy timeout already waits, and this retries with backoff beyond it.
void begin_immediate(Connection& impl);
void rollback_quietly(Connection& impl) noexcept;

// Runs fn() between begin(impl) and COMMIT (ROLLBACK when it throws).
template <class Begin, class Fn>
auto transaction(Connection& impl, Begin&& begin, Fn&& fn) -> decltype(fn()) {
  begin(impl);
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      impl.db->exec("COMMIT");
    } else {
      auto result = fn();
      impl.db->exec("COMMIT");
      return result;
    }
  } catch (...) {
    rollback_quietly(impl);
    throw;
  }
}

// A write: BEGIN IMMEDIATE holds the write lock from the start.
template <class Fn>
auto write_transaction(Connection& impl, Fn&& fn) -> decltype(fn()) {
  return transaction(impl, begin_immediate, std::forward<Fn>(fn));
}

// A deferred transaction: several SELECTs see one snapshot (WAL readers never block writers).
template <class Fn>
auto read_transaction(Connection& impl, Fn&& fn) -> decltype(fn()) {
  return transaction(impl, [](Connection& c) { c.db->exec("BEGIN"); }, std::forward<Fn>(fn));
}

// The bodies of three writes, run inside the caller's write transaction (store.cpp): Store's
// plain writes run them as they are, the leased ones (trial_leases.cpp) after checking the lease.
void write_fold(Connection& impl, std::int64_t trial_id, const FoldRecord& fold);
void write_trial_finished(Connection& impl, std::int64_t trial_id, TrialStatus status,
                          const std::string& error, std::optional<double> cv_mean,
                          std::optional<double> cv_std);
void write_trial_released(Connection& impl, std::int64_t trial_id);

// Turns SQLite's exceptions into StoreError naming the file and the operation.
template <class Fn>
auto guarded(const Connection& impl, const char* operation, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    throw StoreError(impl.path + ": " + operation + ": " + e.what());
  }
}

// While alive, statements on the connection stop with SQLITE_INTERRUPT after `seconds` (none when
// seconds <= 0) and strings or blobs may not grow past a bounded length. query_limits.cpp.
class QueryTimeLimit {
 public:
  QueryTimeLimit(Connection& impl, double seconds);
  ~QueryTimeLimit();
  QueryTimeLimit(const QueryTimeLimit&) = delete;
  QueryTimeLimit& operator=(const QueryTimeLimit&) = delete;

  std::chrono::steady_clock::time_point deadline;
  bool expired = false;

 private:
  Connection& impl_;
  bool active_ = false;
  int previous_length_ = 0;
};

// Throws StoreError unless `expression` is one expression: balanced parentheses (none closed
// that it did not open), no ';', no comment, no unclosed quote.
void check_single_expression(const std::string& expression);
// Throws StoreError when `sql` holds more than one statement (SQLite would ignore the rest).
void check_no_tail(Connection& impl, const std::string& sql);

// The trial_params rows of both stores: only plain decimal numbers get a value_num (strtod alone
// would also take "inf", "nan" and hex); a trial's nested params_json becomes dotted names.
std::optional<double> numeric_value(const std::string& text);
void flatten_params(const nlohmann::json& node, const std::string& prefix,
                    std::vector<std::pair<std::string, std::string>>& out);

std::string seed_text(std::uint64_t seed);
std::uint64_t parse_seed(const std::string& text);
// NULL reads as NaN: a metric that was never finite stays visibly undefined.
double column_real(const SQLite::Column& column);
std::string column_text(const SQLite::Column& column);  // "" for NULL

// per_class JSON: {"precision": [...], "recall": [...], "f1": [...]}.
std::string per_class_json(const Metrics& metrics);
void read_per_class(const std::string& json, Metrics& metrics);

// One final_run_models row (final_models.cpp); throws StoreError when weights_hash is not the
// hash of model.weights.
void insert_final_model(SQLite::Database& db, std::int64_t final_run_id, const TrainedModel& model,
                        const std::string& weights_hash);
// Issue 11: a final run's per-test-group confusion matrices (splits_store.cpp).
void insert_final_run_groups(SQLite::Database& db, std::int64_t final_run_id,
                             const std::vector<std::pair<std::string, ConfusionMatrix>>& groups);

}  // namespace store_detail

struct Store::Impl : store_detail::Connection {};

}  // namespace eegsweep
