// What reading a sweep file found: errors, warnings and notes, in file order, and their count.

#include <algorithm>

#include "engine/spec/sweep_spec.h"

namespace eegsweep {
namespace {

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string errors_text(const std::vector<SpecMessage>& messages) {
  std::string text;
  std::size_t errors = 0;
  for (const auto& m : messages) {
    if (m.severity != SpecMessage::Severity::error) continue;
    text += (text.empty() ? "" : "\n") + m.str();
    ++errors;
  }
  if (errors > 1) text += "\n" + plural(errors, "problem");
  return text;
}

}  // namespace

std::string SpecMessage::str() const {
  if (origin.empty()) return text;
  if (line <= 0) return origin + ": " + text;
  return origin + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + text;
}

const char* severity_name(SpecMessage::Severity severity) {
  switch (severity) {
    case SpecMessage::Severity::error: return "error";
    case SpecMessage::Severity::warning: return "warning";
    case SpecMessage::Severity::note: return "note";
  }
  return "?";
}

std::string count_problems(const std::vector<SpecMessage>& messages) {
  const auto count = [&](SpecMessage::Severity s) {
    return static_cast<std::size_t>(std::count_if(messages.begin(), messages.end(),
                                                  [s](const SpecMessage& m) { return m.severity == s; }));
  };
  const std::size_t errors = count(SpecMessage::Severity::error);
  const std::size_t warnings = count(SpecMessage::Severity::warning);
  std::string text = plural(errors + warnings, "problem");
  if (errors > 0 && warnings > 0)
    text += " (" + plural(errors, "error") + ", " + plural(warnings, "warning") + ")";
  else if (warnings > 0)
    text += " (" + plural(warnings, "warning") + ")";
  return text;
}

void sort_messages(std::vector<SpecMessage>& messages) {
  // --set messages have no line: they come after the file's, in the order the overrides were
  // given (the stable sort keeps it).
  const auto rank = [](const SpecMessage& m) {
    if (m.origin.rfind("--set", 0) == 0) return 2;
    return m.line > 0 ? 1 : 0;
  };
  std::stable_sort(messages.begin(), messages.end(), [&](const SpecMessage& a, const SpecMessage& b) {
    const int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    if (ra != 1) return false;
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });
}

SpecError::SpecError(const std::string& message)
    : std::runtime_error(message), messages_{SpecMessage{SpecMessage::Severity::error, "", 0, 0, message}} {}

SpecError::SpecError(std::vector<SpecMessage> messages)
    : std::runtime_error(errors_text(messages)), messages_(std::move(messages)) {}

}  // namespace eegsweep
