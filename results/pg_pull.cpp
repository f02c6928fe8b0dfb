// PostgreSQL → SQLite: `sweep pull` (a file) and the read verbs' snapshot (in memory). The copy is
// generic over the SQLite schema's tables and columns, so a table another feature adds to both
// schemas is copied without an edit here.

#include <filesystem>
#include <map>
#include <set>

#include "results/detail/pg_snapshot.h"
#include "results/pg_store.h"
#include "results/schema_sql.h"

namespace eegsweep {

namespace store_detail {

namespace {

std::vector<std::string> sqlite_tables(SQLite::Database& db) {
  SQLite::Statement select(db,
                           "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                           "'sqlite_%' AND name <> 'schema_version' ORDER BY rowid");
  std::vector<std::string> names;
  while (select.executeStep()) names.push_back(select.getColumn(0).getString());
  return names;
}

std::vector<std::string> sqlite_columns(SQLite::Database& db, const std::string& table) {
  SQLite::Statement select(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
  select.bind(1, table);
  std::vector<std::string> names;
  while (select.executeStep()) names.push_back(select.getColumn(0).getString());
  return names;
}

// column → data_type of the server's table (empty when it has no such table).
std::map<std::string, std::string> pg_columns(PgConnection& pg, const std::string& table) {
  const PgResult r = pg.exec(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
      "current_schema() AND table_name = $1",
      {table}, "columns");
  std::map<std::string, std::string> out;
  for (int row = 0; row < r.rows(); ++row) out[r.text(row, 0)] = r.text(row, 1);
  return out;
}

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

}  // namespace

void copy_sweeps(PgConnection& pg, SQLite::Database& db, const std::vector<std::int64_t>& sweep_ids) {
  std::string id_list = "{";
  for (std::size_t i = 0; i < sweep_ids.size(); ++i) {
    id_list += (i ? "," : "") + std::to_string(sweep_ids[i]);
  }
  id_list += "}";
  const bool all = sweep_ids.empty();
  // One snapshot of the server for every table: a worker recording meanwhile cannot leave a fold
  // without its epochs in the copy.
  pg_transaction(pg, [&] {
    pg.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", {}, "snapshot");
    for (const std::string& table : sqlite_tables(db)) {
      const std::vector<std::string> columns = sqlite_columns(db, table);
      const std::map<std::string, std::string> server = pg_columns(pg, table);
      if (server.empty()) continue;  // a table the server's schema does not have (yet)
      const std::set<std::string> names(columns.begin(), columns.end());
      std::string select = "SELECT ", insert = "INSERT INTO " + quoted(table) + " (", values;
      std::vector<std::string> copied;
      for (const std::string& column : columns) {
        auto type = server.find(column);
        if (type == server.end()) continue;
        const std::string expression =
            type->second == "timestamp with time zone"
                ? "to_char(" + quoted(column) + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
                : quoted(column);
        select += (copied.empty() ? "" : ", ") + expression;
        insert += (copied.empty() ? "" : ", ") + quoted(column);
        values += copied.empty() ? "?" : ", ?";
        copied.push_back(column);
      }
      select += " FROM " + quoted(table);
      std::vector<PgParam> params;
      if (!all) {
        params.push_back(id_list);
        if (table == "sweeps") {
          select += " WHERE id = ANY($1::bigint[])";
        } else if (names.count("sweep_id")) {
          select += " WHERE sweep_id = ANY($1::bigint[])";
        } else if (names.count("trial_id")) {
          select += " WHERE trial_id IN (SELECT id FROM trials WHERE sweep_id = ANY($1::bigint[]))";
        } else if (names.count("final_run_id")) {  // a final run's model and group scores
          select += " WHERE final_run_id IN (SELECT r.id FROM final_runs r JOIN trials t ON t.id = "
                    "r.trial_id WHERE t.sweep_id = ANY($1::bigint[]))";
        } else {
          continue;  // belongs to no sweep
        }
      }
      const PgResult rows = pg.exec(select, params, ("copy " + table).c_str());
      SQLite::Statement statement(db, insert + ") VALUES (" + values + ")");
      for (int row = 0; row < rows.rows(); ++row) {
        for (int column = 0; column < rows.columns(); ++column) {
          const int index = column + 1;
          if (rows.is_null(row, column)) {
            statement.bind(index);
          } else if (rows.column_kind(column) == PgResult::Kind::integer) {
            statement.bind(index, static_cast<std::int64_t>(rows.integer(row, column)));
          } else if (rows.column_kind(column) == PgResult::Kind::real) {
            statement.bind(index, rows.real(row, column));
          } else if (rows.column_kind(column) == PgResult::Kind::bytes) {
            // A BLOB column of schema.sql is a BYTEA on the server.
            const std::string blob = rows.bytes(row, column);
            statement.bind(index, blob.data(), static_cast<int>(blob.size()));
          } else {
            statement.bind(index, rows.text(row, column));
          }
        }
        statement.exec();
        statement.reset();
      }
    }
  });
}

void open_postgres_snapshot(Connection& impl, const std::string& url) {
  PgConnection pg(url);
  impl.path = pg.name();
  try {
    impl.db = std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE);
    impl.db->exec("PRAGMA foreign_keys = ON");
    impl.db->exec("BEGIN");
    impl.db->exec(kSchemaSql);
    impl.db->exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(kSchemaVersion) + ")");
    copy_sweeps(pg, *impl.db, {});
    impl.db->exec("COMMIT");
    impl.db->exec("PRAGMA query_only = 1");
  } catch (const SQLite::Exception& e) {
    throw StoreError(impl.path + ": cannot copy the PostgreSQL store for reading: " + e.what());
  }
}

}  // namespace store_detail

int pull_sweeps(const std::string& url, const std::string& sqlite_path,
                const std::string& sweep_name, bool replace) {
  store_detail::PgConnection pg(url);
  const store_detail::PgResult found =
      sweep_name.empty()
          ? pg.exec("SELECT id FROM sweeps ORDER BY id", {}, "sweeps")
          : pg.exec("SELECT id FROM sweeps WHERE name = $1 ORDER BY id", {sweep_name}, "sweeps");
  if (found.rows() == 0) {
    throw StoreError(pg.name() + ": " +
                     (sweep_name.empty() ? std::string("holds no sweep")
                                         : "holds no sweep named '" + sweep_name + "'"));
  }
  std::vector<std::int64_t> ids;
  for (int row = 0; row < found.rows(); ++row) ids.push_back(found.integer(row, 0));

  // Written beside the target and renamed into place: the file appears complete or not at all.
  std::error_code error;
  if (std::filesystem::exists(sqlite_path, error) && !replace) {
    throw StoreError(sqlite_path + ": exists; pull into a new file, or pass --force to replace it");
  }
  const std::string partial = sqlite_path + ".partial";
  std::filesystem::remove(partial, error);
  {
    Store create(partial);  // the schema, made exactly as `sweep run` makes it
  }
  try {
    SQLite::Database db(partial, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA foreign_keys = ON");
    SQLite::Transaction transaction(db);
    store_detail::copy_sweeps(pg, db, ids);
    transaction.commit();
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch (const SQLite::Exception& e) {
    std::filesystem::remove(partial, error);
    throw StoreError(sqlite_path + ": cannot write the pulled sweep: " + e.what());
  } catch (...) {
    std::filesystem::remove(partial, error);
    throw;
  }
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(partial + suffix, error);
  std::filesystem::rename(partial, sqlite_path, error);
  if (error) {
    throw StoreError(sqlite_path + ": cannot move the pulled file into place: " + error.message());
  }
  return static_cast<int>(ids.size());
}

}  // namespace eegsweep
