// yaml-cpp → the plain SpecNode tree. The only file of the project that includes yaml-cpp:
// keeping YAML::Node here lets the rest of engine/spec be plain C++ with its own locations.

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <optional>
#include <sstream>

#include "engine/spec/detail/spec_node.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::spec_detail {
namespace {

// Aliases could otherwise nest without bound; no sweep file needs anything near this deep.
constexpr int max_depth = kMaxSweepDepth;

std::string too_deep() {
  return "the document nests deeper than " + std::to_string(max_depth) + " levels";
}

// Every node is counted as it is converted, so an alias is counted each time it is repeated:
// this is what bounds a "billion laughs" document, whose YAML::Node graph itself stays small.
struct Budget {
  std::size_t nodes = 0;
};

// Where the first byte that is not UTF-8 sits: yaml-cpp would pass it through, and such a sweep
// could then never be exported as JSON. Overlong forms, surrogates and code points above U+10FFFF
// are invalid too (RFC 3629).
void check_utf8(const std::string& text, const std::string& origin, bool positions) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    unsigned min_second = 0x80, max_second = 0xBF;
    if (byte < 0x80) {
      length = 1;
    } else if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      if (byte == 0xE0) min_second = 0xA0;  // overlong
      if (byte == 0xED) max_second = 0x9F;  // UTF-16 surrogates
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      if (byte == 0xF0) min_second = 0x90;  // overlong
      if (byte == 0xF4) max_second = 0x8F;  // above U+10FFFF
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = k == 1 ? next >= min_second && next <= max_second : next >= 0x80 && next <= 0xBF;
    }
    if (!valid) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", byte);
      const Location where = positions ? Location{origin, line, column} : Location{origin, 0, 0};
      throw SpecError(where.str() + ": invalid UTF-8 (byte " + hex + " at offset " +
                      std::to_string(i) + "); a sweep file must be UTF-8 text");
    }
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;  // columns count characters, as editors do
    }
    i += length;
  }
}

Location location_of(const YAML::Mark& mark, const std::string& origin, bool positions) {
  Location where{origin, 0, 0};
  // yaml-cpp marks are 0-based; editors count from 1.
  if (positions && !mark.is_null()) {
    where.line = mark.line + 1;
    where.column = mark.column + 1;
  }
  return where;
}

SpecNode convert(const YAML::Node& node, const std::string& origin, bool positions, int depth,
                 Budget& budget) {
  SpecNode out;
  out.location = location_of(node.Mark(), origin, positions);
  if (depth > max_depth) fail(out.location, "", too_deep());
  if (++budget.nodes > kMaxSweepNodes)
    fail(out.location, "",
         "the document expands to more than " + std::to_string(kMaxSweepNodes) +
             " nodes (each use of a YAML alias repeats what it names); a sweep file needs far fewer");
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
      for (const auto& item : node) out.items.push_back(convert(item, origin, positions, depth + 1, budget));
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
        entry.value.push_back(convert(it->second, origin, positions, depth + 1, budget));
        // yaml-cpp places an empty value at the start of the next line; the key is where the
        // user looks.
        if (entry.node().kind == SpecNode::Kind::null) entry.node().location = entry.key_location;
        out.entries.push_back(std::move(entry));
      }
      break;
  }
  return out;
}

// The line of the '---' that starts the second document: the first '---' line, or the second
// when the text begins with one; 0 when there is none.
int second_document_line(const std::string& text) {
  int line = 1, markers = 0;
  bool content_seen = false;
  for (std::size_t start = 0; start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string row = text.substr(start, end - start);
    if (row.rfind("---", 0) == 0) {
      ++markers;
      if (content_seen || markers == 2) return line;
    } else if (!row.empty() && row[0] != '#' && row.find_first_not_of(" \t\r") != std::string::npos) {
      content_seen = true;
    }
    start = end + 1;
  }
  return 0;
}

// Where the second document starts, if there is one. YAML::LoadAll cannot be used: on some
// malformed text (",e") yaml-cpp 0.7 yields empty documents forever (found by fuzzing), so the
// documents are counted with the event parser and at most two are ever asked for.
struct DocumentStarts : YAML::EventHandler {
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

std::optional<YAML::Mark> second_document(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  for (int document = 0; document < 2 && parser.HandleNextDocument(starts); ++document) {
  }
  if (starts.marks.size() < 2) return std::nullopt;
  return starts.marks[1];
}

}  // namespace

SpecNode parse_yaml_tree(const std::string& text, const std::string& origin, bool positions) {
  check_utf8(text, origin, positions);
  YAML::Node root;
  std::optional<YAML::Mark> second;
  try {
    root = YAML::Load(text);
    second = second_document(text);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard (a few hundred levels) reports only "bad file".
    throw SpecError(location_of(e.mark, origin, positions).str() + ": " + too_deep());
  } catch (const YAML::Exception& e) {
    Location where = location_of(e.mark, origin, positions);
    throw SpecError(where.str() + ": YAML syntax error: " + e.msg);
  }
  if (second) {
    // The '---' that starts it is where the user looks. Without one, what yaml-cpp takes for
    // another document is text it could not place in the first.
    const int marker_line = second_document_line(text);
    if (positions && marker_line > 0) {
      fail(Location{origin, marker_line, 1}, "",
           "a second YAML document (after '---'); a sweep file holds exactly one");
    }
    throw SpecError(location_of(*second, origin, positions).str() +
                    ": YAML syntax error: text that is not part of the document");
  }
  Budget budget;
  SpecNode tree = convert(root, origin, positions, 0, budget);
  if (tree.location.origin.empty()) tree.location.origin = origin;
  if (tree.location.line == 0 && positions) {  // an empty document has no mark
    tree.location.line = 1;
    tree.location.column = 1;
  }
  return tree;
}

}  // namespace eegsweep::spec_detail
