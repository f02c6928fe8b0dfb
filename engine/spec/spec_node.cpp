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

namespace {

std::string message_text(const std::string& path, const std::string& problem, const std::string& allowed) {
  std::string text;
  if (!path.empty()) text += "key '" + path + "': ";
  text += problem;
  if (!allowed.empty()) text += "; allowed: " + allowed;
  return text;
}

}  // namespace

std::string format_error(const Location& where, const std::string& path, const std::string& problem,
                         const std::string& allowed) {
  return where.str() + ": " + message_text(path, problem, allowed);
}

SpecMessage make_message(SpecMessage::Severity severity, const Location& where, const std::string& path,
                         const std::string& problem, const std::string& allowed,
                         const std::string& detail) {
  std::string text = message_text(path, problem, allowed);
  if (!detail.empty()) text += "\n" + detail;
  return SpecMessage{severity, where.origin, where.line, where.column, text};
}

void fail(const Location& where, const std::string& path, const std::string& problem,
          const std::string& allowed, const std::string& detail) {
  throw SpecError({make_message(SpecMessage::Severity::error, where, path, problem, allowed, detail)});
}

std::string format_double(double x) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

}  // namespace eegsweep::spec_detail
