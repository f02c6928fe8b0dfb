#pragma once
// Private to engine/spec: the sweep document as a plain tree. yaml-cpp stays inside
// yaml_tree.cpp; everything else (overrides, validation) works on this tree, which also records
// where each node came from (file:line:col, or the --set that put it there).

#include <string>
#include <utility>
#include <vector>

#include "engine/spec/sweep_spec.h"

namespace eegsweep::spec_detail {

struct Location {
  std::string origin;  // the sweep file's path, or "--set a.b" for an override
  int line = 0;        // 1-based; 0 = no position (overrides)
  int column = 0;      // 1-based

  std::string str() const;
};

struct SpecNode;

struct MapEntry {
  std::string key;
  Location key_location;
  std::vector<SpecNode> value;  // exactly one node; a vector because SpecNode is incomplete here
  const SpecNode& node() const { return value.front(); }
  SpecNode& node() { return value.front(); }
};

struct SpecNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string text;      // scalar
  bool quoted = false;   // scalar written in quotes: a string, never a number or bool
  std::vector<SpecNode> items;     // sequence
  std::vector<MapEntry> entries;   // map, in document order (duplicates kept, to be reported)
  Location location;

  const char* kind_name() const;  // "nothing", "a scalar", "a list", "a mapping"
};

// Builds "LOCATION: key 'PATH': PROBLEM[; allowed: ALLOWED]".
std::string format_error(const Location& where, const std::string& path, const std::string& problem,
                         const std::string& allowed = {});
// The same as a located message; `detail` (lines to paste) follows on lines of its own.
SpecMessage make_message(SpecMessage::Severity severity, const Location& where, const std::string& path,
                         const std::string& problem, const std::string& allowed = {},
                         const std::string& detail = {});
// Throws a SpecError holding one error.
[[noreturn]] void fail(const Location& where, const std::string& path, const std::string& problem,
                       const std::string& allowed = {}, const std::string& detail = {});

// Shortest text that reads back as the same double ("0.001", "1e-06", "3"), for messages.
std::string format_double(double x);

// Parses YAML text into the tree. With `positions`, locations are `origin:line:col`; without,
// every node's location is just `origin` (used for --set values). Syntax errors throw SpecError
// in the same location format.
SpecNode parse_yaml_tree(const std::string& text, const std::string& origin, bool positions);

// Applies one "--set a.b.c=value" to the document (value parsed as YAML). Throws SpecError
// naming "--set a.b.c" on malformed input.
void apply_override(SpecNode& root, const std::string& assignment);

}  // namespace eegsweep::spec_detail
