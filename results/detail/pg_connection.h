#pragma once
// Internal to results/: one libpq connection (RAII) and its results. Only pg_connection.cpp
// includes libpq; callers get text cells and StoreError.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "results/store.h"

struct pg_conn;
struct pg_result;

namespace eegsweep::store_detail {

// A statement parameter: text, or NULL (nullopt). Numbers travel as their decimal text.
using PgParam = std::optional<std::string>;

// The rows of one statement, as text (NULL → nullopt). Column types are kept so that a copy into
// SQLite binds integers as integers and reals as reals.
class PgResult {
 public:
  enum class Kind { integer, real, text, bytes };
  explicit PgResult(pg_result* result);
  ~PgResult();
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const;
  int columns() const;
  std::string column_name(int column) const;
  Kind column_kind(int column) const;
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;  // "" for NULL
  std::int64_t integer(int row, int column) const;
  double real(int row, int column) const;        // NaN for NULL
  std::string bytes(int row, int column) const;  // a bytea's raw bytes (its text form decoded)
  std::int64_t affected_rows() const;            // UPDATE/DELETE/INSERT

 private:
  pg_result* result_;
};

// "postgresql://…" or "postgres://…": a PostgreSQL store; anything else is a SQLite path.
bool is_postgres_url(const std::string& path);
// The URL with any password replaced by "***", for messages.
std::string redacted_url(const std::string& url);

class PgConnection {
 public:
  // Throws StoreError naming the (redacted) URL with libpq's message.
  explicit PgConnection(const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  const std::string& name() const { return name_; }  // the redacted URL
  // One statement with $1, $2, … parameters. Throws StoreError "URL: what: message".
  PgResult exec(const std::string& sql, const std::vector<PgParam>& params = {},
                const char* what = "query");
  // Several statements without parameters (the schema).
  void exec_script(const std::string& sql, const char* what);
  // Held by every exec and, through pg_transaction, for a whole transaction: a worker's training
  // threads read learning curves (hyperband) on the connection its main thread writes on, and a
  // libpq connection serves one statement at a time. Recursive: exec inside a transaction.
  std::recursive_mutex& mutex() { return mutex_; }

 private:
  void check(pg_result* raw, const char* what);  // throws (and frees raw) unless it succeeded

  std::string name_;
  pg_conn* conn_ = nullptr;
  std::map<std::string, std::string> prepared_;  // SQL → prepared statement name
  std::recursive_mutex mutex_;
};

// Runs fn() between BEGIN and COMMIT (ROLLBACK when it throws).
template <class Fn>
auto pg_transaction(PgConnection& pg, Fn&& fn) -> decltype(fn()) {
  const std::lock_guard<std::recursive_mutex> lock(pg.mutex());  // no other thread's statement inside
  pg.exec("BEGIN", {}, "begin");
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      pg.exec("COMMIT", {}, "commit");
    } else {
      auto result = fn();
      pg.exec("COMMIT", {}, "commit");
      return result;
    }
  } catch (...) {
    try {
      pg.exec("ROLLBACK", {}, "rollback");
    } catch (...) {
    }
    throw;
  }
}

}  // namespace eegsweep::store_detail
