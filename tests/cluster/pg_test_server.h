#pragma once
// The PostgreSQL server the ctest fixture started (tests/cluster/pg_server.sh), a fresh database
// per test, and plain SQL against it for the checks.

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace eegsweep::testing {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The server's base URL (database "postgres"), or "" with the reason in `why`.
inline std::string pg_server_url(std::string& why) {
  const std::string dir = EEGSWEEP_TEST_PG_DIR;
  const std::string url = read_text(dir + "/url");
  if (!url.empty()) return url;
  why = read_text(dir + "/unavailable");
  if (why.empty()) {
    why = "no PostgreSQL test server at " + dir +
          " (run the tests through ctest, whose fixture cluster_pg_start starts it)";
  }
  return "";
}

// Rows of one statement as text ("" for NULL); throws with PostgreSQL's message.
inline std::vector<std::vector<std::string>> pg_rows(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error(url + ": " + message);
  }
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  PGresult* result = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    const std::string message = PQresultErrorMessage(result);
    PQclear(result);
    PQfinish(conn);
    throw std::runtime_error(sql + ": " + message);
  }
  std::vector<std::vector<std::string>> rows;
  for (int r = 0; r < PQntuples(result); ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < PQnfields(result); ++c) row.push_back(PQgetvalue(result, r, c));
    rows.push_back(std::move(row));
  }
  PQclear(result);
  PQfinish(conn);
  return rows;
}

inline std::string pg_value(const std::string& url, const std::string& sql) {
  const auto rows = pg_rows(url, sql);
  return rows.empty() || rows[0].empty() ? std::string() : rows[0][0];
}

// An empty database named after the running test; its URL.
inline std::string fresh_database(const std::string& server_url) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string("t_") + info->test_suite_name() + "_" + info->name();
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
  name = name.substr(0, 60);
  pg_rows(server_url, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  pg_rows(server_url, "CREATE DATABASE " + name);
  const std::size_t slash = server_url.find("/postgres");
  return server_url.substr(0, slash) + "/" + name + server_url.substr(slash + 9);
}

}  // namespace eegsweep::testing

// Skips the test, saying why, when the fixture could not start a server.
#define REQUIRE_PG_SERVER(url)                                              \
  std::string url;                                                          \
  {                                                                         \
    std::string why_;                                                       \
    url = ::eegsweep::testing::pg_server_url(why_);                         \
    if (url.empty()) GTEST_SKIP() << "PostgreSQL unavailable: " << why_;    \
  }
