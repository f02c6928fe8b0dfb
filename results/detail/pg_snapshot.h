#pragma once
// Internal to results/: a PostgreSQL store read through the SQLite code. The read verbs open a
// postgresql:// URL read-only; the Store then holds an in-memory SQLite copy of the server's
// sweeps, so every view, filter and query reads exactly as it does on a pulled file.

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "results/detail/pg_connection.h"
#include "results/detail/store_impl.h"

namespace eegsweep::store_detail {

// Copies the rows of the given sweeps (every sweep when sweep_ids is empty) from `pg` into `db`,
// which holds schema.sql and no rows of those sweeps: every table of the SQLite schema that the
// server has too, parents before children, columns by name.
void copy_sweeps(PgConnection& pg, SQLite::Database& db, const std::vector<std::int64_t>& sweep_ids);

// Store(url, read_only): impl.db becomes an in-memory snapshot of the server, query-only.
void open_postgres_snapshot(Connection& impl, const std::string& url);

}  // namespace eegsweep::store_detail
