// yaml-cpp → the plain SpecNode tree. The only file of the project that includes yaml-cpp:
// keeping YAML::Node here lets the rest of engine/spec be plain C++ with its own locations.

#include <yaml-cpp/yaml.h>

#include "engine/spec/detail/spec_node.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::spec_detail {
namespace {

// Aliases could otherwise nest without bound; no sweep file needs anything near this deep.
constexpr int max_depth = 64;

Location location_of(const YAML::Mark& mark, const std::string& origin, bool positions) {
  Location where{origin, 0, 0};
  // yaml-cpp marks are 0-based; editors count from 1.
  if (positions && !mark.is_null()) {
    where.line = mark.line + 1;
    where.column = mark.column + 1;
  }
  return where;
}

SpecNode convert(const YAML::Node& node, const std::string& origin, bool positions, int depth) {
  SpecNode out;
  out.location = location_of(node.Mark(), origin, positions);
  if (depth > max_depth)
    fail(out.location, "", "the document nests deeper than " + std::to_string(max_depth) + " levels");
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out.kind = SpecNode::Kind::null;
      break;
    case YAML::NodeType::Scalar:
      out.kind = SpecNode::Kind::scalar;
      out.text = node.Scalar();
      // A plain scalar has the non-specific tag "?"; quoted ones get "!", and explicit tags
      // (!!str) are also strings for our purposes: "3" in quotes is not the number 3.
      out.quoted = node.Tag() != "?";
      break;
    case YAML::NodeType::Sequence:
      out.kind = SpecNode::Kind::sequence;
      for (const auto& item : node) out.items.push_back(convert(item, origin, positions, depth + 1));
      break;
    case YAML::NodeType::Map:
      out.kind = SpecNode::Kind::map;
      for (auto it = node.begin(); it != node.end(); ++it) {
        MapEntry entry;
        entry.key_location = location_of(it->first.Mark(), origin, positions);
        if (!it->first.IsScalar())
          fail(entry.key_location, "", "a key must be a plain name, not " +
                                           std::string(it->first.IsMap() ? "a mapping" : "a list"));
        entry.key = it->first.Scalar();
        entry.value.push_back(convert(it->second, origin, positions, depth + 1));
        // yaml-cpp places an empty value at the start of the next line; the key is where the
        // user looks.
        if (entry.node().kind == SpecNode::Kind::null) entry.node().location = entry.key_location;
        out.entries.push_back(std::move(entry));
      }
      break;
  }
  return out;
}

}  // namespace

SpecNode parse_yaml_tree(const std::string& text, const std::string& origin, bool positions) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    Location where = location_of(e.mark, origin, positions);
    throw SpecError(where.str() + ": YAML syntax error: " + e.msg);
  }
  SpecNode tree = convert(root, origin, positions, 0);
  if (tree.location.line == 0 && positions) {  // an empty document has no mark
    tree.location.line = 1;
    tree.location.column = 1;
  }
  return tree;
}

}  // namespace eegsweep::spec_detail
