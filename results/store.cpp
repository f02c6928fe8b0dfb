// Opening the store (schema creation and version check) and every write: sweeps, trials, claims,
// folds and final runs. The reads are in queries.cpp.

#include "results/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>

#include "results/schema_sql.h"
#include "results/detail/pg_snapshot.h"
#include "results/detail/store_impl.h"

namespace eegsweep {

using store_detail::guarded;
using store_detail::write_transaction;

namespace {

// Long enough that a writer never gives up while another process commits a fold; BEGIN IMMEDIATE
// is retried on top of it.
constexpr int kBusyTimeoutMs = 60'000;
constexpr int kBeginAttempts = 8;

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

bool is_busy(const SQLite::Exception& e) {
  const int code = e.getErrorCode() & 0xff;
  return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

bool is_in_memory(const std::string& path) {
  return path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0;
}

void create_parent_directories(const std::string& path) {
  if (is_in_memory(path)) return;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    throw StoreError(path + ": cannot create the directory " + parent.string() + ": " +
                     error.message());
  }
}

void bind_real(SQLite::Statement& statement, int index, double value) {
  // SQLite stores NaN as NULL anyway; say so explicitly.
  if (std::isnan(value)) {
    statement.bind(index);
  } else {
    statement.bind(index, value);
  }
}

// Binds loss, accuracy, precision, recall and F1 (macro) at `first` and the four places after it,
// in the column order folds, epochs and final_runs share.
void bind_metrics(SQLite::Statement& statement, int first, const Metrics& metrics) {
  bind_real(statement, first, metrics.loss);
  bind_real(statement, first + 1, metrics.accuracy);
  bind_real(statement, first + 2, metrics.precision_macro);
  bind_real(statement, first + 3, metrics.recall_macro);
  bind_real(statement, first + 4, metrics.f1_macro);
}

void bind_optional(SQLite::Statement& statement, int index, const std::optional<double>& value) {
  if (value) {
    bind_real(statement, index, *value);
  } else {
    statement.bind(index);
  }
}

void bind_text_or_null(SQLite::Statement& statement, int index, const std::string& text) {
  if (text.empty()) {
    statement.bind(index);
  } else {
    statement.bind(index, text);
  }
}

void check_confusion(const ConfusionMatrix& confusion, const std::string& what) {
  if (confusion.classes < 0 ||
      confusion.counts.size() != static_cast<std::size_t>(confusion.classes) * confusion.classes) {
    throw StoreError(what + ": confusion matrix of " + std::to_string(confusion.classes) +
                     " classes holds " + std::to_string(confusion.counts.size()) +
                     " counts instead of classes²");
  }
}

// Every cell, zeros included, so a matrix reads back with its size and SQL sums need no outer join.
void insert_confusion(SQLite::Database& db, std::int64_t trial_id, std::optional<int> fold,
                      std::optional<std::int64_t> final_run_id, const ConfusionMatrix& confusion) {
  SQLite::Statement insert(db,
                           "INSERT INTO confusion (trial_id, fold, final_run_id, true_class, "
                           "predicted_class, count) VALUES (?, ?, ?, ?, ?, ?)");
  for (int truth = 0; truth < confusion.classes; ++truth) {
    for (int predicted = 0; predicted < confusion.classes; ++predicted) {
      insert.bind(1, trial_id);
      if (fold) {
        insert.bind(2, *fold);
      } else {
        insert.bind(2);
      }
      if (final_run_id) {
        insert.bind(3, *final_run_id);
      } else {
        insert.bind(3);
      }
      insert.bind(4, truth);
      insert.bind(5, predicted);
      insert.bind(6, static_cast<std::int64_t>(confusion.at(truth, predicted)));
      insert.exec();
      insert.reset();
    }
  }
}

bool trial_exists(SQLite::Database& db, std::int64_t trial_id) {
  SQLite::Statement select(db, "SELECT 1 FROM trials WHERE id = ?");
  select.bind(1, trial_id);
  return select.executeStep();
}

void require_trial(store_detail::Connection& impl, std::int64_t trial_id) {
  if (!trial_exists(*impl.db, trial_id)) {
    throw StoreError(impl.path + ": no trial with id " + std::to_string(trial_id));
  }
}

// Versions 2 and 3 only added tables, each in its own section of schema.sql after a marker line;
// running the text from the marker of the version after the store's on upgrades it in place
// (inside the caller's write transaction, so two openers cannot both).
void upgrade_schema(SQLite::Database& db, std::int64_t version) {
  const std::string marker = "-- ---- schema version " + std::to_string(version + 1) + " ----";
  const char* from = std::strstr(kSchemaSql, marker.c_str());
  if (from == nullptr) throw std::logic_error("schema.sql lost its marker '" + marker + "'");
  db.exec(from);
  SQLite::Statement insert(db, "INSERT INTO schema_version (version) VALUES (?)");
  for (std::int64_t added = version + 1; added <= kSchemaVersion; ++added) {
    insert.bind(1, added);
    insert.exec();
    insert.reset();
  }
}

void create_or_check_schema(store_detail::Connection& impl) {
  SQLite::Database& db = *impl.db;
  if (!db.tableExists("schema_version")) {
    SQLite::Statement tables(db,
                             "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                             "LIKE 'sqlite_%' LIMIT 1");
    if (tables.executeStep()) {
      throw StoreError(impl.path + " is a SQLite database but not an eegsweep results store (it "
                       "has a table '" + tables.getColumn(0).getString() +
                       "' and no schema_version)");
    }
    db.exec(kSchemaSql);
    SQLite::Statement insert(db, "INSERT INTO schema_version (version) VALUES (?)");
    insert.bind(1, kSchemaVersion);
    insert.exec();
    return;
  }
  SQLite::Statement select(db, "SELECT MAX(version) FROM schema_version");
  select.executeStep();
  if (select.getColumn(0).isNull()) {
    throw StoreError(impl.path + ": the schema_version table is empty; not a complete eegsweep "
                     "results store");
  }
  const std::int64_t version = select.getColumn(0).getInt64();
  if (version > kSchemaVersion) {
    throw StoreError(impl.path + " was written by eegsweep schema version " +
                     std::to_string(version) + "; this build reads up to " +
                     std::to_string(kSchemaVersion) + " — upgrade eegsweep");
  }
  if (version < kSchemaVersion) upgrade_schema(db, version);
}

// The first statement is where SQLite notices a file that is not a database.
void configure_connection(store_detail::Connection& impl) {
  SQLite::Database& db = *impl.db;
  db.exec("PRAGMA foreign_keys = ON");
  for (int attempt = 0;; ++attempt) {
    try {
      // Switching a new file to WAL needs a moment's exclusive lock; another process opening the
      // same new file at once can hold it past the busy timeout's first tries.
      db.exec("PRAGMA journal_mode = WAL");
      break;
    } catch (const SQLite::Exception& e) {
      if (!is_busy(e) || attempt + 1 >= kBeginAttempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(20 << attempt));
    }
  }
  db.exec("PRAGMA synchronous = NORMAL");
}

StoreError open_error(const std::string& path, const SQLite::Exception& e) {
  const int code = e.getErrorCode() & 0xff;
  if (code == SQLITE_NOTADB) {
    return StoreError(path + " is not an eegsweep results database (not a SQLite file): " + e.what());
  }
  if (code == SQLITE_CORRUPT) {
    return StoreError(path + ": the results database is damaged (" + e.what() +
                      "); restore it from a backup, or run with another --db");
  }
  return StoreError(path + ": cannot open the results database: " + e.what());
}

// A FIFO or device given as --db would block SQLite or feed it garbage.
void refuse_special_file(const std::string& path) {
  if (is_in_memory(path)) return;
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) return;
  if (std::filesystem::is_directory(status)) {
    throw StoreError(path + ": is a directory, not a results database file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw StoreError(path + ": is not a regular file (a FIFO or a device?), not a results database");
  }
}

// A damaged page must stop the run before anything is appended to it, and a reader before it
// reports numbers from it. quick_check reads every page once (milliseconds for a results file).
void check_integrity(store_detail::Connection& impl) {
  SQLite::Statement check(*impl.db, "PRAGMA quick_check(5)");
  std::string problems;
  while (check.executeStep()) {
    std::string line = check.getColumn(0).getString();
    if (line == "ok") return;
    std::replace(line.begin(), line.end(), '\n', ' ');
    problems += (problems.empty() ? "" : "; ") + line;
  }
  throw StoreError(impl.path + ": the results database is damaged (PRAGMA quick_check: " + problems +
                   "); restore it from a backup, or run with another --db");
}

void check_schema_read_only(store_detail::Connection& impl) {
  SQLite::Database& db = *impl.db;
  if (!db.tableExists("schema_version")) {
    SQLite::Statement tables(db,
                             "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                             "LIKE 'sqlite_%' LIMIT 1");
    if (!tables.executeStep()) {
      throw StoreError(impl.path + ": an empty database, not an eegsweep results store (no sweep "
                       "has been run into it)");
    }
    throw StoreError(impl.path + " is a SQLite database but not an eegsweep results store (it "
                     "has a table '" + tables.getColumn(0).getString() + "' and no schema_version)");
  }
  SQLite::Statement select(db, "SELECT MAX(version) FROM schema_version");
  select.executeStep();
  if (!select.getColumn(0).isNull() && select.getColumn(0).getInt64() > kSchemaVersion) {
    throw StoreError(impl.path + " was written by eegsweep schema version " +
                     std::to_string(select.getColumn(0).getInt64()) + "; this build reads up to " +
                     std::to_string(kSchemaVersion) + " — upgrade eegsweep");
  }
}

// "file:" URI of a path, for the immutable fallback below.
std::string file_uri(const std::string& path) {
  std::error_code error;
  const std::string absolute = std::filesystem::absolute(path, error).string();
  std::string uri = "file:";
  for (unsigned char c : error ? path : absolute) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      uri += escaped;
    }
  }
  return uri;
}

void open_read_only(store_detail::Connection& impl) {
  if (!std::filesystem::exists(impl.path)) {
    throw StoreError(impl.path + ": no such results database");
  }
  auto open_and_check = [&](const std::string& name, int flags) {
    impl.db = std::make_unique<SQLite::Database>(name, flags, kBusyTimeoutMs);
    check_schema_read_only(impl);
    check_integrity(impl);
  };
  try {
    try {
      open_and_check(impl.path, SQLite::OPEN_READONLY);
    } catch (const SQLite::Exception& e) {
      // A WAL database needs its -shm file; on read-only media (or in a directory we may not
      // write) SQLite can create none. Without a -wal file every committed transaction is in the
      // database file itself, and nothing can be writing there, so reading it as immutable is exact.
      const int code = e.getErrorCode() & 0xff;
      const bool no_shm = code == SQLITE_READONLY || code == SQLITE_CANTOPEN;
      if (!no_shm || std::filesystem::exists(impl.path + "-wal")) throw;
      open_and_check(file_uri(impl.path) + "?immutable=1", SQLite::OPEN_READONLY | SQLite::OPEN_URI);
    }
  } catch (const SQLite::Exception& e) {
    throw open_error(impl.path, e);
  }
}

}  // namespace

namespace store_detail {

// Only plain decimal numbers get a value_num: strtod alone would also take "inf", "nan" and hex.
std::optional<double> numeric_value(const std::string& text) {
  if (text.empty() ||
      text.find_first_not_of("0123456789+-.eE") != std::string::npos) {
    return std::nullopt;
  }
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// When a trial arrives without its flat parameter list, the rows come from params_json: nested
// objects become dotted names, strings their text, everything else its JSON text.
void flatten_params(const nlohmann::json& node, const std::string& prefix,
                    std::vector<std::pair<std::string, std::string>>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      flatten_params(value, prefix.empty() ? key : prefix + "." + key, out);
    }
  } else if (!prefix.empty()) {
    out.emplace_back(prefix, node.is_string() ? node.get<std::string>() : node.dump());
  }
}

void begin_immediate(store_detail::Connection& impl) {
  for (int attempt = 0;; ++attempt) {
    try {
      impl.db->exec("BEGIN IMMEDIATE");
      return;
    } catch (const SQLite::Exception& e) {
      if (!is_busy(e)) throw;
      if (attempt + 1 >= kBeginAttempts) {
        throw StoreError(impl.path + ": the database stayed locked by another process through " +
                         std::to_string(kBeginAttempts) + " attempts of " +
                         std::to_string(kBusyTimeoutMs / 1000) + " s: " + e.what());
      }
      const int backoff_ms = std::min(2000, 25 << attempt);
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
    }
  }
}

void rollback_quietly(store_detail::Connection& impl) noexcept {
  try {
    if (impl.db && !sqlite3_get_autocommit(impl.db->getHandle())) impl.db->exec("ROLLBACK");
  } catch (...) {
    // The original exception matters more; a failed rollback leaves SQLite to roll back on close.
  }
}

std::string seed_text(std::uint64_t seed) { return std::to_string(seed); }

std::uint64_t parse_seed(const std::string& text) {
  try {
    std::size_t used = 0;
    const std::uint64_t seed = std::stoull(text, &used);
    if (used == text.size()) return seed;
  } catch (const std::exception&) {
  }
  throw StoreError("stored seed '" + text + "' is not an unsigned 64-bit integer");
}

double column_real(const SQLite::Column& column) {
  return column.isNull() ? std::nan("") : column.getDouble();
}

std::string column_text(const SQLite::Column& column) {
  return column.isNull() ? std::string() : column.getString();
}

std::string per_class_json(const Metrics& metrics) {
  nlohmann::json json = {{"precision", metrics.precision},
                         {"recall", metrics.recall},
                         {"f1", metrics.f1}};
  return json.dump();
}

void read_per_class(const std::string& text, Metrics& metrics) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return;
  const auto read = [&json](const char* key, std::vector<double>& out) {
    out.clear();
    const auto it = json.find(key);
    if (it == json.end() || !it->is_array()) return;
    for (const auto& value : *it) out.push_back(value.is_number() ? value.get<double>() : std::nan(""));
  };
  read("precision", metrics.precision);
  read("recall", metrics.recall);
  read("f1", metrics.f1);
}

void write_fold(Connection& impl, std::int64_t trial_id, const FoldRecord& fold) {
  check_confusion(fold.confusion, impl.path + ": record_fold(trial " + std::to_string(trial_id) +
                                      ", fold " + std::to_string(fold.fold) + ")");
  SQLite::Database& db = *impl.db;
  require_trial(impl, trial_id);
  // A redone fold replaces the old one; the cascade removes its epochs and confusion cells.
  SQLite::Statement remove(db, "DELETE FROM folds WHERE trial_id = ? AND fold = ?");
  remove.bind(1, trial_id);
  remove.bind(2, fold.fold);
  remove.exec();

  SQLite::Statement insert(db,
                           "INSERT INTO folds (trial_id, fold, train_rows, val_rows, "
                           "best_epoch, loss, accuracy, precision_macro, recall_macro, "
                           "f1_macro, per_class, seconds, backend_detail) VALUES (?, ?, ?, ?, "
                           "?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, trial_id);
  insert.bind(2, fold.fold);
  insert.bind(3, fold.train_rows);
  insert.bind(4, fold.val_rows);
  insert.bind(5, fold.best_epoch);
  bind_metrics(insert, 6, fold.val);
  insert.bind(11, store_detail::per_class_json(fold.val));
  insert.bind(12, fold.seconds);
  insert.bind(13, fold.backend_detail);
  insert.exec();

  SQLite::Statement epoch(db,
                          "INSERT INTO epochs (trial_id, fold, epoch, train_loss, val_loss, "
                          "val_accuracy, val_precision_macro, val_recall_macro, "
                          "val_f1_macro, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const EpochRecord& record : fold.epochs) {
    epoch.bind(1, trial_id);
    epoch.bind(2, fold.fold);
    epoch.bind(3, record.epoch);
    bind_real(epoch, 4, record.train_loss);
    bind_metrics(epoch, 5, record.val);
    epoch.bind(10, record.seconds);
    epoch.exec();
    epoch.reset();
  }
  insert_confusion(db, trial_id, fold.fold, std::nullopt, fold.confusion);
}

void write_trial_finished(Connection& impl, std::int64_t trial_id, TrialStatus status,
                          const std::string& error, std::optional<double> cv_mean,
                          std::optional<double> cv_std) {
  require_trial(impl, trial_id);
  const bool terminal = status == TrialStatus::completed || status == TrialStatus::pruned ||
                        status == TrialStatus::failed;
  SQLite::Statement update(
      *impl.db,
      std::string("UPDATE trials SET status = ?, error = ?, cv_mean = ?, cv_std = ?, owner = "
                  "NULL, finished_at = ") +
          (terminal ? kNow : "NULL") + " WHERE id = ?");
  update.bind(1, status_name(status));
  bind_text_or_null(update, 2, error);
  bind_optional(update, 3, cv_mean);
  bind_optional(update, 4, cv_std);
  update.bind(5, trial_id);
  update.exec();
}

void write_trial_released(Connection& impl, std::int64_t trial_id) {
  require_trial(impl, trial_id);
  SQLite::Statement update(*impl.db,
                           "UPDATE trials SET status = 'pending', owner = NULL, started_at = "
                           "NULL, finished_at = NULL WHERE id = ?");
  update.bind(1, trial_id);
  update.exec();
}

}  // namespace store_detail

const char* status_name(TrialStatus status) {
  switch (status) {
    case TrialStatus::pending: return "pending";
    case TrialStatus::running: return "running";
    case TrialStatus::completed: return "completed";
    case TrialStatus::pruned: return "pruned";
    case TrialStatus::failed: return "failed";
  }
  return "unknown";
}

TrialStatus parse_status(const std::string& name) {
  for (TrialStatus status : {TrialStatus::pending, TrialStatus::running, TrialStatus::completed,
                             TrialStatus::pruned, TrialStatus::failed}) {
    if (name == status_name(status)) return status;
  }
  throw StoreError("unknown trial status '" + name +
                   "' (expected pending, running, completed, pruned or failed)");
}

Store::Store(const std::string& path, StoreMode mode) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  if (store_detail::is_postgres_url(path)) {
    // A server store is written only by `sweep worker` (pg_store.h) and read through a snapshot.
    if (mode != StoreMode::read_only) {
      throw StoreError(store_detail::redacted_url(path) + ": a PostgreSQL store is written by "
                       "`sweep worker FILE --db URL`; `sweep pull` copies it into a SQLite file");
    }
    store_detail::open_postgres_snapshot(*impl_, path);
    return;
  }
  refuse_special_file(path);
  if (mode == StoreMode::read_only) {
    open_read_only(*impl_);
    return;
  }
  create_parent_directories(path);
  try {
    impl_->db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_URI, kBusyTimeoutMs);
    configure_connection(*impl_);
    check_integrity(*impl_);  // before the first write
    write_transaction(*impl_, [&] { create_or_check_schema(*impl_); });
  } catch (const SQLite::Exception& e) {
    throw open_error(path, e);
  }
}

Store::~Store() = default;

const std::string& Store::path() const { return impl_->path; }

std::int64_t Store::open_sweep(const SweepInfo& info, bool fresh) {
  return guarded(*impl_, "open_sweep", [&] {
    return write_transaction(*impl_, [&]() -> std::int64_t {
      SQLite::Database& db = *impl_->db;
      if (!fresh) {
        SQLite::Statement select(db,
                                 "SELECT id FROM sweeps WHERE name = ? AND identity_hash = ? "
                                 "AND dataset_hash = ? ORDER BY id DESC LIMIT 1");
        select.bind(1, info.name);
        select.bind(2, info.identity_hash);
        // The identity covers the data's path; the hash covers its content, so a file replaced
        // at the same path starts a new sweep instead of mixing scores from both.
        select.bind(3, info.dataset_hash);
        if (select.executeStep()) return select.getColumn(0).getInt64();
      }
      SQLite::Statement insert(
          db, std::string("INSERT INTO sweeps (name, description, spec_path, spec_text, "
                          "identity_hash, overrides_json, dataset_source, dataset_hash, "
                          "dataset_rows, dataset_features, class_names, metric_name, maximize, "
                          "seed, engine_version, host, device, created_at) VALUES (?, ?, ?, ?, "
                          "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ") +
                  kNow + ")");
      insert.bind(1, info.name);
      insert.bind(2, info.description);
      insert.bind(3, info.spec_path);
      insert.bind(4, info.spec_text);
      insert.bind(5, info.identity_hash);
      insert.bind(6, info.overrides_json.empty() ? std::string("[]") : info.overrides_json);
      insert.bind(7, info.dataset_source);
      insert.bind(8, info.dataset_hash);
      insert.bind(9, info.dataset_rows);
      insert.bind(10, info.dataset_features);
      insert.bind(11, nlohmann::json(info.class_names).dump());
      insert.bind(12, info.metric_name);
      insert.bind(13, info.maximize ? 1 : 0);
      insert.bind(14, store_detail::seed_text(info.seed));
      insert.bind(15, info.engine_version);
      insert.bind(16, info.host);
      insert.bind(17, info.device);
      insert.exec();
      return db.getLastInsertRowid();
    });
  });
}

void Store::add_trials(std::int64_t sweep_id, const std::vector<TrialRecord>& trials) {
  guarded(*impl_, "add_trials", [&] {
    write_transaction(*impl_, [&] {
      SQLite::Database& db = *impl_->db;
      {
        SQLite::Statement sweep(db, "SELECT 1 FROM sweeps WHERE id = ?");
        sweep.bind(1, sweep_id);
        if (!sweep.executeStep()) {
          throw StoreError(impl_->path + ": no sweep with id " + std::to_string(sweep_id));
        }
      }
      SQLite::Statement existing(db, "SELECT 1 FROM trials WHERE sweep_id = ? AND params_hash = ?");
      SQLite::Statement number_taken(db, "SELECT 1 FROM trials WHERE sweep_id = ? AND number = ?");
      SQLite::Statement max_number(db, "SELECT COALESCE(MAX(number), -1) FROM trials WHERE sweep_id = ?");
      SQLite::Statement insert(db,
                               "INSERT INTO trials (sweep_id, number, params_json, params_hash, "
                               "seed, status) VALUES (?, ?, ?, ?, ?, 'pending')");
      SQLite::Statement insert_param(db,
                                     "INSERT OR REPLACE INTO trial_params (trial_id, name, value, "
                                     "value_num) VALUES (?, ?, ?, ?)");
      for (const TrialRecord& trial : trials) {
        existing.bind(1, sweep_id);
        existing.bind(2, trial.params_hash);
        const bool known = existing.executeStep();
        existing.reset();
        if (known) continue;

        // Numbers come from the spec's expansion; should one be taken by a trial of other
        // parameters, the newcomer goes to the end rather than steal it.
        int number = trial.number;
        number_taken.bind(1, sweep_id);
        number_taken.bind(2, number);
        const bool taken = number_taken.executeStep();
        number_taken.reset();
        if (taken) {
          max_number.bind(1, sweep_id);
          max_number.executeStep();
          number = max_number.getColumn(0).getInt() + 1;
          max_number.reset();
        }

        insert.bind(1, sweep_id);
        insert.bind(2, number);
        insert.bind(3, trial.params_json.empty() ? std::string("{}") : trial.params_json);
        insert.bind(4, trial.params_hash);
        insert.bind(5, store_detail::seed_text(trial.seed));
        insert.exec();
        insert.reset();
        const std::int64_t trial_id = db.getLastInsertRowid();

        std::vector<std::pair<std::string, std::string>> params = trial.params;
        if (params.empty() && !trial.params_json.empty()) {
          store_detail::flatten_params(nlohmann::json::parse(trial.params_json, nullptr, false), "", params);
        }
        for (const auto& [name, value] : params) {
          insert_param.bind(1, trial_id);
          insert_param.bind(2, name);
          insert_param.bind(3, value);
          bind_optional(insert_param, 4, store_detail::numeric_value(value));
          insert_param.exec();
          insert_param.reset();
        }
      }
    });
  });
}

std::optional<TrialRecord> Store::claim_trial(std::int64_t sweep_id, const std::string& owner,
                                              const OwnerAlive& owner_alive) {
  const std::optional<int> claimed = guarded(*impl_, "claim_trial", [&] {
    return write_transaction(*impl_, [&]() -> std::optional<int> {
      SQLite::Database& db = *impl_->db;
      std::optional<std::int64_t> chosen;
      std::optional<int> chosen_number;
      {
        SQLite::Statement candidates(db,
                                     "SELECT id, number, status, owner FROM trials WHERE "
                                     "sweep_id = ? AND status IN ('pending', 'running') ORDER BY "
                                     "number");
        candidates.bind(1, sweep_id);
        while (candidates.executeStep()) {
          const bool pending = candidates.getColumn(2).getString() == "pending";
          // Without a liveness test every running owner counts as alive: never steal work.
          const bool orphaned =
              !pending && owner_alive &&
              !owner_alive(store_detail::column_text(candidates.getColumn(3)));
          if (pending || orphaned) {
            chosen = candidates.getColumn(0).getInt64();
            chosen_number = candidates.getColumn(1).getInt();
            break;
          }
        }
      }
      if (!chosen) return std::nullopt;
      SQLite::Statement update(db, std::string("UPDATE trials SET status = 'running', owner = ?, "
                                               "error = NULL, finished_at = NULL, started_at = ") +
                                       kNow + " WHERE id = ?");
      update.bind(1, owner);
      update.bind(2, *chosen);
      update.exec();
      return chosen_number;
    });
  });
  if (!claimed) return std::nullopt;
  return trial(sweep_id, *claimed);
}

void Store::record_fold(std::int64_t trial_id, const FoldRecord& fold) {
  guarded(*impl_, "record_fold", [&] {
    write_transaction(*impl_, [&] { store_detail::write_fold(*impl_, trial_id, fold); });
  });
}

void Store::finish_trial(std::int64_t trial_id, TrialStatus status, const std::string& error,
                         std::optional<double> cv_mean, std::optional<double> cv_std) {
  guarded(*impl_, "finish_trial", [&] {
    write_transaction(*impl_, [&] {
      store_detail::write_trial_finished(*impl_, trial_id, status, error, cv_mean, cv_std);
    });
  });
}

void Store::release_trial(std::int64_t trial_id) {
  guarded(*impl_, "release_trial", [&] {
    write_transaction(*impl_, [&] { store_detail::write_trial_released(*impl_, trial_id); });
  });
}

std::int64_t Store::record_final_run(const FinalRunRecord& run) {
  check_confusion(run.confusion, impl_->path + ": record_final_run(trial " +
                                     std::to_string(run.trial_id) + ")");
  return guarded(*impl_, "record_final_run", [&] {
    return write_transaction(*impl_, [&]() -> std::int64_t {
      SQLite::Database& db = *impl_->db;
      require_trial(*impl_, run.trial_id);
      if (run.kind != "final" && run.kind != "reproduce") {
        throw StoreError(impl_->path + ": final run kind '" + run.kind +
                         "' is neither 'final' nor 'reproduce'");
      }
      if (run.kind == "final") {
        // Another process may have scored the trial first; the record is the first score.
        SQLite::Statement existing(db, "SELECT id FROM final_runs WHERE trial_id = ? AND kind = 'final'");
        existing.bind(1, run.trial_id);
        if (existing.executeStep()) return existing.getColumn(0).getInt64();
      }
      SQLite::Statement insert(
          db, std::string("INSERT INTO final_runs (trial_id, kind, epochs, loss, accuracy, "
                          "precision_macro, recall_macro, f1_macro, per_class, weights_hash, "
                          "device, seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                          "?, ") +
                  kNow + ")");
      insert.bind(1, run.trial_id);
      insert.bind(2, run.kind);
      insert.bind(3, run.epochs);
      bind_metrics(insert, 4, run.test);
      insert.bind(9, store_detail::per_class_json(run.test));
      insert.bind(10, run.weights_hash);
      insert.bind(11, run.device);
      insert.bind(12, run.seconds);
      insert.exec();
      const std::int64_t run_id = db.getLastInsertRowid();
      insert_confusion(db, run.trial_id, std::nullopt, run_id, run.confusion);
      if (run.model) store_detail::insert_final_model(db, run_id, *run.model, run.weights_hash);
      store_detail::insert_final_run_groups(db, run_id, run.test_groups);
      return run_id;
    });
  });
}

}  // namespace eegsweep
