// `--set a.b.c=value`: edits the parsed document before validation, so an override is checked
// exactly like the same text written in the file, and its errors name the --set.

#include <algorithm>
#include <array>

#include "engine/spec/detail/spec_node.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::spec_detail {
namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

std::vector<std::string> split_path(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

MapEntry* find_entry(SpecNode& map, const std::string& key) {
  for (auto& entry : map.entries)
    if (entry.key == key) return &entry;
  return nullptr;
}

// A parameter's search space is value, values (+ probabilities) or a distribution. Setting one
// form from the command line replaces the form written in the file instead of clashing with it:
// `--set parameters.hidden_size.values=[16,32]` works whether the file said value: or values:.
int space_group(const std::string& key) {
  if (key == "value") return 1;
  if (key == "values" || key == "probabilities") return 2;
  if (key == "distribution" || key == "min" || key == "max" || key == "q") return 3;
  return 0;
}

void drop_other_space_forms(SpecNode& parameter, const std::string& key) {
  const int group = space_group(key);
  if (group == 0) return;
  auto& entries = parameter.entries;
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [&](const MapEntry& e) {
                                 const int g = space_group(e.key);
                                 return g != 0 && g != group;
                               }),
                entries.end());
}

}  // namespace

void apply_override(SpecNode& root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  const std::string key = trim(assignment.substr(0, eq));
  const Location origin{"--set " + key, 0, 0};
  const auto parts = split_path(key);
  const bool malformed = eq == std::string::npos || key.empty() ||
                         std::any_of(parts.begin(), parts.end(),
                                     [](const std::string& p) { return p.empty(); });
  if (malformed)
    throw SpecError("--set '" + assignment +
                    "': expected KEY.PATH=VALUE, e.g. --set cv.folds=3 or "
                    "--set parameters.hidden_size.values=[16,32]");

  SpecNode value = parse_yaml_tree(assignment.substr(eq + 1), origin.origin, false);

  if (root.kind == SpecNode::Kind::null) {
    root.kind = SpecNode::Kind::map;
  } else if (root.kind != SpecNode::Kind::map) {
    fail(origin, "", "the sweep file is not a mapping, so it has no key to set");
  }
  SpecNode* node = &root;
  std::string path;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const bool last = i + 1 == parts.size();
    if (last && path.rfind("parameters.", 0) == 0 && parts.size() == 3)
      drop_other_space_forms(*node, part);
    MapEntry* entry = find_entry(*node, part);
    if (entry == nullptr) {
      node->entries.push_back(MapEntry{part, origin, {SpecNode{}}});
      entry = &node->entries.back();
      entry->node().location = origin;
    }
    path += (path.empty() ? "" : ".") + part;
    if (last) {
      entry->key_location = origin;
      entry->node() = value;
      break;
    }
    SpecNode& child = entry->node();
    if (child.kind == SpecNode::Kind::null) {
      child.kind = SpecNode::Kind::map;
      child.location = origin;
    } else if (child.kind != SpecNode::Kind::map) {
      fail(origin, path,
           std::string("cannot set a key inside it: it is ") + child.kind_name() +
               ", not a mapping");
    }
    node = &child;
  }
}

}  // namespace eegsweep::spec_detail
