#pragma once
// Private to engine/spec: typed reads from the SpecNode tree. Each read checks kind, type and
// range and throws SpecError at the node's location with the key path, so every section of the
// sweep file reports errors the same way.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/spec/detail/spec_node.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::spec_detail {

std::string child_path(const std::string& path, const std::string& key);
std::string join(const std::vector<std::string>& words, const std::string& separator = ", ");
// The closest candidate within a small edit distance (ignoring case), else "".
std::string closest_name(const std::string& word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" for closest_name, else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// The user's own text for the key at `where` (whose path is `path`) with the key renamed to
// `replacement`, ready to paste: "replace line 7 with:" and the line, for the file; "instead:
// --set a.b=…", for an override. Empty when that text cannot be found.
std::string renamed_key_text(const SweepSpec& source, const Location& where, const std::string& path,
                             const std::string& replacement);
// "unknown WHAT" with a did-you-mean and the corrected line when `suggestion` is not empty.
SpecMessage unknown_key_error(const MapEntry& entry, const std::string& path, const std::string& what,
                              const std::string& suggestion, const std::vector<std::string>& allowed,
                              const SweepSpec* source);

// Every problem with a mapping's keys, as errors: not a mapping at all, each unknown key (with a
// did-you-mean and, given `source`, the corrected line), each duplicate key. Empty: all fine.
// `also_accepted` keys are not errors but are not listed as allowed either (W&B's keys that are
// ignored or not supported yet).
std::vector<SpecMessage> key_problems(const SpecNode& node, const std::string& path,
                                      const std::vector<std::string>& allowed,
                                      const std::string& what = "key", const SweepSpec* source = nullptr,
                                      const std::vector<std::string>& also_accepted = {});

// The first entry named `key` of a mapping node, or nullptr.
const MapEntry* find_key(const SpecNode& map, const std::string& key);

// A mapping whose keys are checked against `allowed` on construction: unknown keys (with a
// did-you-mean) and duplicate keys are errors, thrown together (key_problems). A null node
// (`cv:` left empty) reads as empty.
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
