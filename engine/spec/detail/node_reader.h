#pragma once
// Private to engine/spec: typed reads from the SpecNode tree. Each read checks kind, type and
// range and throws SpecError at the node's location with the key path, so every section of the
// sweep file reports errors the same way.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/spec/detail/spec_node.h"

namespace eegsweep::spec_detail {

std::string child_path(const std::string& path, const std::string& key);
std::string join(const std::vector<std::string>& words, const std::string& separator = ", ");
// " (did you mean 'x'?)" for the closest candidate within a small edit distance, else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// The first entry named `key` of a mapping node, or nullptr.
const MapEntry* find_key(const SpecNode& map, const std::string& key);

// A mapping whose keys are checked against `allowed` on construction: unknown keys (with a
// did-you-mean) and duplicate keys are errors. A null node (`cv:` left empty) reads as empty.
class MapReader {
 public:
  MapReader(const SpecNode& node, std::string path, std::vector<std::string> allowed,
            const std::string& what = "key");

  const SpecNode* get(const std::string& key) const;
  const MapEntry* entry(const std::string& key) const { return find_key(node_, key); }
  const SpecNode& require(const std::string& key) const;
  std::string path_of(const std::string& key) const { return child_path(path_, key); }
  const std::string& path() const { return path_; }
  const SpecNode& node() const { return node_; }

 private:
  const SpecNode& node_;
  std::string path_;
};

std::optional<std::int64_t> parse_int(const SpecNode& node);  // plain decimal integer scalar
std::optional<double> parse_double(const SpecNode& node);     // plain finite number scalar

std::int64_t read_int(const SpecNode& node, const std::string& path, std::int64_t min,
                      std::int64_t max);
std::uint64_t read_uint64(const SpecNode& node, const std::string& path);
// Range [min, max], or [min, max) with max_exclusive.
double read_double(const SpecNode& node, const std::string& path, double min, double max,
                   bool max_exclusive = false);
bool read_bool(const SpecNode& node, const std::string& path);
std::string read_string(const SpecNode& node, const std::string& path);  // non-empty
std::string read_choice(const SpecNode& node, const std::string& path,
                        const std::vector<std::string>& choices);
// A non-empty list of distinct non-empty strings.
std::vector<std::string> read_string_list(const SpecNode& node, const std::string& path);

// "'abc'", "nothing", "a list", "the quoted string '3'": what the user wrote, for messages.
std::string describe(const SpecNode& node);

}  // namespace eegsweep::spec_detail
