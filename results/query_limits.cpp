// Bounds on the SQL a user hands us (`results --where`): one expression only, at most so many
// seconds, strings and blobs of bounded size. The database is opened read-only and the query runs
// with query_only, so the worry here is not writes but a filter that escapes its parentheses,
// hides a second statement, or never ends (a recursive CTE, randomblob(1e9)).

#include <sqlite3.h>

#include <chrono>
#include <string>

#include "results/detail/store_impl.h"

namespace eegsweep::store_detail {

namespace {

// Strings, blobs and rows inside a bounded query: far above any value a results store holds (a
// sweep's spec text is at most 1 MiB), far below what would exhaust memory.
constexpr int kBoundedLength = 16 << 20;
// The progress handler runs every this many virtual-machine instructions: often enough to stop
// within milliseconds of the deadline, rarely enough to cost nothing measurable.
constexpr int kProgressInstructions = 10000;

int past_deadline(void* self) {
  auto* limit = static_cast<QueryTimeLimit*>(self);
  if (std::chrono::steady_clock::now() < limit->deadline) return 0;
  limit->expired = true;
  return 1;  // SQLite interrupts the statement with SQLITE_INTERRUPT
}

[[noreturn]] void reject(const std::string& expression, const std::string& why) {
  throw StoreError("the filter '" + expression + "' " + why +
                   "; a filter is one SQL expression over the columns, e.g. "
                   "\"hidden_size >= 32 and accuracy > 0.9\"");
}

}  // namespace

QueryTimeLimit::QueryTimeLimit(Connection& impl, double seconds) : impl_(impl) {
  if (!(seconds > 0)) return;
  active_ = true;
  deadline = std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                 std::chrono::duration<double>(seconds));
  sqlite3* handle = impl_.db->getHandle();
  previous_length_ = sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, kBoundedLength);
  sqlite3_progress_handler(handle, kProgressInstructions, past_deadline, this);
}

QueryTimeLimit::~QueryTimeLimit() {
  if (!active_) return;
  sqlite3* handle = impl_.db->getHandle();
  sqlite3_progress_handler(handle, 0, nullptr, nullptr);
  sqlite3_limit(handle, SQLITE_LIMIT_LENGTH, previous_length_);
}

// A lexer just deep enough to see the expression's structure: string literals and quoted
// identifiers are skipped whole, so that a ')' or ';' inside quotes is only text.
void check_single_expression(const std::string& expression) {
  int depth = 0;
  for (std::size_t i = 0; i < expression.size(); ++i) {
    const char c = expression[i];
    const std::string at = " (at character " + std::to_string(i + 1) + ")";
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      const char close = c == '[' ? ']' : c;
      std::size_t j = i + 1;
      for (;; ++j) {
        if (j >= expression.size()) reject(expression, std::string("has an unclosed ") + c + at);
        if (expression[j] != close) continue;
        if (close != ']' && j + 1 < expression.size() && expression[j + 1] == close) {
          ++j;  // '' inside '…' (likewise "" and ``) is the quote character itself
          continue;
        }
        break;
      }
      i = j;
    } else if (c == ';') {
      reject(expression, "has a ';'" + at + ", which would end the statement");
    } else if ((c == '-' && i + 1 < expression.size() && expression[i + 1] == '-') ||
               (c == '/' && i + 1 < expression.size() && expression[i + 1] == '*')) {
      reject(expression, "has a comment" + at + ", which would hide the rest of the query");
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth < 0) {
      reject(expression, "closes a parenthesis it did not open" + at);
    }
  }
  if (depth > 0) reject(expression, "leaves " + std::to_string(depth) + " '(' unclosed");
}

void check_no_tail(Connection& impl, const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(impl.db->getHandle(), sql.c_str(),
                                    static_cast<int>(sql.size()), &statement, &tail);
  sqlite3_finalize(statement);
  if (rc != SQLITE_OK || tail == nullptr) return;  // SQLiteCpp reports the error itself
  const std::string rest(tail);
  const std::size_t start = rest.find_first_not_of(" \t\r\n");
  if (start != std::string::npos) {
    throw StoreError(impl.path + ": a query is one statement; text follows it: '" +
                     rest.substr(start, 60) + "'");
  }
}

}  // namespace eegsweep::store_detail
