// Typed, located reads from the sweep document (see node_reader.h).

#include "engine/spec/detail/node_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace eegsweep::spec_detail {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Optimal string alignment distance: Levenshtein plus adjacent transpositions, the usual typos.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

[[noreturn]] void wrong_type(const SpecNode& node, const std::string& path,
                             const std::string& expected, const std::string& allowed = {}) {
  fail(node.location, path, "expected " + expected + ", got " + describe(node), allowed);
}

std::string range_text(double min, double max, bool max_exclusive) {
  if (max_exclusive) return format_double(min) + " <= x < " + format_double(max);
  return format_double(min) + " .. " + format_double(max);
}

}  // namespace

std::string child_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string join(const std::vector<std::string>& words, const std::string& separator) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : separator) + w;
  return text;
}

std::string closest_name(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string needle = lower(word);
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(needle, lower(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  // Up to a third of the word may differ (at least 1, at most 3): catches typos, not guesses.
  const std::size_t limit = std::clamp<std::size_t>(needle.size() / 3, 1, 3);
  if (best.empty() || best_distance > limit) return "";
  return best;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string best = closest_name(word, candidates);
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

std::string renamed_key_text(const SweepSpec& source, const Location& where, const std::string& path,
                             const std::string& replacement) {
  const auto dot = path.rfind('.');
  const std::string key = dot == std::string::npos ? path : path.substr(dot + 1);
  const std::string set_prefix = "--set ";
  if (where.line == 0 && where.origin.rfind(set_prefix, 0) == 0) {
    // The override whose key path runs through this key: rename that component.
    const std::string set_key = where.origin.substr(set_prefix.size());
    const std::string renamed_prefix =
        (dot == std::string::npos ? "" : path.substr(0, dot + 1)) + replacement;
    if (set_key != path && set_key.rfind(path + ".", 0) != 0) return "";
    for (const auto& assignment : source.overrides) {
      const auto eq = assignment.find('=');
      if (eq == std::string::npos) continue;
      std::string assigned_key = assignment.substr(0, eq);
      assigned_key.erase(0, assigned_key.find_first_not_of(" \t"));
      assigned_key.erase(assigned_key.find_last_not_of(" \t") + 1);
      if (assigned_key != set_key) continue;
      return "instead: --set " + renamed_prefix + set_key.substr(path.size()) + assignment.substr(eq);
    }
    return "";
  }
  if (where.line <= 0 || where.column <= 0) return "";
  // Line `where.line` of the file, without its line break.
  std::size_t begin = 0;
  for (int l = 1; l < where.line; ++l) {
    begin = source.source_text.find('\n', begin);
    if (begin == std::string::npos) return "";
    ++begin;
  }
  std::string line = source.source_text.substr(begin, source.source_text.find('\n', begin) - begin);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::size_t at = static_cast<std::size_t>(where.column - 1);
  if (at < line.size() && (line[at] == '"' || line[at] == '\'')) ++at;  // a quoted key
  // Where the column does not point at the key (a multi-byte character before it, YAML's
  // explicit "? key"), there is no line to offer.
  if (at > line.size() || line.compare(at, key.size(), key) != 0) return "";
  line.replace(at, key.size(), replacement);
  return "replace line " + std::to_string(where.line) + " with:\n" + line;
}

SpecMessage unknown_key_error(const MapEntry& entry, const std::string& path, const std::string& what,
                              const std::string& suggestion, const std::vector<std::string>& allowed,
                              const SweepSpec* source) {
  std::string problem = "unknown " + what;
  std::string detail;
  if (!suggestion.empty()) {
    problem += " (did you mean '" + suggestion + "'?)";
    if (source != nullptr) detail = renamed_key_text(*source, entry.key_location, path, suggestion);
  }
  return make_message(SpecMessage::Severity::error, entry.key_location, path, problem, join(allowed), detail);
}

std::vector<SpecMessage> key_problems(const SpecNode& node, const std::string& path,
                                      const std::vector<std::string>& allowed, const std::string& what,
                                      const SweepSpec* source,
                                      const std::vector<std::string>& also_accepted) {
  std::vector<SpecMessage> problems;
  if (node.kind != SpecNode::Kind::map && node.kind != SpecNode::Kind::null) {
    problems.push_back(make_message(SpecMessage::Severity::error, node.location, path,
                                    std::string("expected a mapping, got ") + describe(node),
                                    "keys " + join(allowed)));
    return problems;
  }
  for (std::size_t i = 0; i < node.entries.size(); ++i) {
    const MapEntry& entry = node.entries[i];
    const std::string entry_path = child_path(path, entry.key);
    const bool accepted =
        std::find(allowed.begin(), allowed.end(), entry.key) != allowed.end() ||
        std::find(also_accepted.begin(), also_accepted.end(), entry.key) != also_accepted.end();
    if (!accepted) {
      problems.push_back(
          unknown_key_error(entry, entry_path, what, closest_name(entry.key, allowed), allowed, source));
      continue;
    }
    for (std::size_t j = 0; j < i; ++j)
      if (node.entries[j].key == entry.key) {
        problems.push_back(make_message(
            SpecMessage::Severity::error, entry.key_location, entry_path,
            "duplicate key (first given at " + node.entries[j].key_location.str() + ")"));
        break;
      }
  }
  return problems;
}

const MapEntry* find_key(const SpecNode& map, const std::string& key) {
  for (const auto& entry : map.entries)
    if (entry.key == key) return &entry;
  return nullptr;
}

MapReader::MapReader(const SpecNode& node, std::string path, std::vector<std::string> allowed,
                     const std::string& what)
    : node_(node), path_(std::move(path)) {
  std::vector<SpecMessage> problems = key_problems(node, path_, allowed, what);
  if (!problems.empty()) throw SpecError(std::move(problems));
}

const SpecNode* MapReader::get(const std::string& key) const {
  const MapEntry* e = entry(key);
  return e == nullptr ? nullptr : &e->node();
}

const SpecNode& MapReader::require(const std::string& key) const {
  const SpecNode* node = get(key);
  if (node == nullptr) fail(node_.location, path_of(key), "required but missing");
  return *node;
}

std::string describe(const SpecNode& node) {
  switch (node.kind) {
    case SpecNode::Kind::scalar:
      return (node.quoted ? "the quoted string '" : "'") + node.text + "'";
    default:
      return node.kind_name();
  }
}

std::optional<std::int64_t> parse_int(const SpecNode& node) {
  if (node.kind != SpecNode::Kind::scalar || node.quoted || node.text.empty()) return std::nullopt;
  const char* begin = node.text.data();
  const char* end = begin + node.text.size();
  if (*begin == '+') ++begin;
  std::int64_t value = 0;
  const auto result = std::from_chars(begin, end, value);
  if (result.ec != std::errc() || result.ptr != end) return std::nullopt;
  return value;
}

std::optional<double> parse_double(const SpecNode& node) {
  if (node.kind != SpecNode::Kind::scalar || node.quoted || node.text.empty()) return std::nullopt;
  const char* begin = node.text.data();
  const char* end = begin + node.text.size();
  if (*begin == '+') ++begin;
  double value = 0;
  const auto result = std::from_chars(begin, end, value, std::chars_format::general);
  if (result.ec != std::errc() || result.ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::int64_t read_int(const SpecNode& node, const std::string& path, std::int64_t min,
                      std::int64_t max) {
  const auto value = parse_int(node);
  const std::string allowed = std::to_string(min) + " .. " + std::to_string(max);
  if (!value) wrong_type(node, path, "an integer", allowed);
  if (*value < min || *value > max)
    fail(node.location, path, std::to_string(*value) + " is out of range", allowed);
  return *value;
}

std::uint64_t read_uint64(const SpecNode& node, const std::string& path) {
  std::uint64_t value = 0;
  const bool plain = node.kind == SpecNode::Kind::scalar && !node.quoted && !node.text.empty();
  const char* end = node.text.data() + node.text.size();
  const auto parsed = plain ? std::from_chars(node.text.data(), end, value)
                            : std::from_chars_result{node.text.data(), std::errc::invalid_argument};
  // ec catches overflow: from_chars then leaves value 0 with ptr at the end of the digits.
  if (parsed.ec != std::errc() || parsed.ptr != end)
    wrong_type(node, path, "a non-negative integer", "0 .. 18446744073709551615");
  return value;
}

double read_double(const SpecNode& node, const std::string& path, double min, double max,
                   bool max_exclusive) {
  const auto value = parse_double(node);
  const std::string allowed = range_text(min, max, max_exclusive);
  if (!value) wrong_type(node, path, "a number", allowed);
  if (*value < min || *value > max || (max_exclusive && *value >= max))
    fail(node.location, path, node.text + " is out of range", allowed);
  return *value;
}

bool read_bool(const SpecNode& node, const std::string& path) {
  if (node.kind == SpecNode::Kind::scalar && !node.quoted) {
    // YAML 1.1 booleans, as yaml-cpp reads them.
    const std::string t = lower(node.text);
    if (t == "true" || t == "yes" || t == "on" || t == "y") return true;
    if (t == "false" || t == "no" || t == "off" || t == "n") return false;
  }
  wrong_type(node, path, "true or false");
}

std::string read_string(const SpecNode& node, const std::string& path) {
  if (node.kind != SpecNode::Kind::scalar || node.text.empty()) wrong_type(node, path, "a string");
  return node.text;
}

std::string read_choice(const SpecNode& node, const std::string& path,
                        const std::vector<std::string>& choices) {
  if (node.kind != SpecNode::Kind::scalar) wrong_type(node, path, "one of the names", join(choices));
  if (std::find(choices.begin(), choices.end(), node.text) == choices.end())
    fail(node.location, path, "unknown value '" + node.text + "'" + did_you_mean(node.text, choices),
         join(choices));
  return node.text;
}

std::vector<std::string> read_string_list(const SpecNode& node, const std::string& path) {
  if (node.kind != SpecNode::Kind::sequence) wrong_type(node, path, "a list of names");
  if (node.items.empty()) fail(node.location, path, "the list is empty");
  std::vector<std::string> names;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    std::string name = read_string(node.items[i], item_path);
    if (std::find(names.begin(), names.end(), name) != names.end())
      fail(node.items[i].location, item_path, "'" + name + "' is listed twice");
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace eegsweep::spec_detail
