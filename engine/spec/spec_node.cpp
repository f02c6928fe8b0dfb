// Locations and the one error format of the sweep file.

#include "engine/spec/detail/spec_node.h"

#include <charconv>

#include "engine/spec/sweep_spec.h"

namespace eegsweep::spec_detail {

std::string Location::str() const {
  if (line <= 0) return origin;
  return origin + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const char* SpecNode::kind_name() const {
  switch (kind) {
    case Kind::null: return "nothing";
    case Kind::scalar: return "a scalar";
    case Kind::sequence: return "a list";
    case Kind::map: return "a mapping";
  }
  return "?";
}

std::string format_error(const Location& where, const std::string& path, const std::string& problem,
                         const std::string& allowed) {
  std::string message = where.str() + ": ";
  if (!path.empty()) message += "key '" + path + "': ";
  message += problem;
  if (!allowed.empty()) message += "; allowed: " + allowed;
  return message;
}

void fail(const Location& where, const std::string& path, const std::string& problem,
          const std::string& allowed) {
  throw SpecError(format_error(where, path, problem, allowed));
}

std::string format_double(double x) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

}  // namespace eegsweep::spec_detail
