// The sweep file → SweepSpec, driven by the key declarations (sweep_keys.cpp): each section's
// keys are checked against its declared children (unknown keys get the allowed list and a "did
// you mean"), each present key is read by its declaration, then the rules that span keys.

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/spec/detail/key_table.h"
#include "engine/spec/detail/node_reader.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {
namespace {

using spec_detail::fail;
using spec_detail::find_key;
using spec_detail::join;
using spec_detail::KeyDecl;
using spec_detail::MapEntry;
using spec_detail::MapReader;
using spec_detail::SpecNode;

std::vector<std::string> names_of(const std::vector<const KeyDecl*>& keys) {
  std::vector<std::string> names;
  for (const KeyDecl* k : keys) names.push_back(k->name());
  return names;
}

bool applies_to(const KeyDecl& key, const std::string& format) {
  return key.formats.empty() ||
         std::find(key.formats.begin(), key.formats.end(), format) != key.formats.end();
}

void reject_foreign_keys(const SpecNode& root) {
  for (const char* key : {"program", "command"})
    if (const MapEntry* e = find_key(root, key))
      fail(e->key_location, key,
           "not used here: W&B launches a training script, eegsweep trains the GRU itself; remove "
           "it");
  if (const MapEntry* e = find_key(root, "early_terminate"))
    fail(e->key_location, "early_terminate",
         "not supported yet; remove it (each trial still stops early by parameters.patience)");
}

void require_key(const MapReader& section, const KeyDecl& key, const SweepSpec& spec) {
  if (section.get(key.name()) != nullptr || !applies_to(key, spec.data.format)) return;
  if (key.path == "data")
    fail(section.node().location, "data", "required but missing (the data to train on)",
         "format: " + key.allowed);
  if (key.path == "data.format")
    fail(section.node().location, "data.format", "required but missing", "csv, synthetic, muse");
  section.require(key.name());  // throws "required but missing"
}

// Reads one mapping: its keys in declaration order, each by its declaration; nested mappings
// recursively.
void read_section(const SpecNode& node, const std::string& section, SweepSpec& spec) {
  const auto keys = spec_detail::keys_in(section);
  const MapReader reader(node, section, names_of(keys));
  for (const KeyDecl* key : keys) {
    if (key->required) require_key(reader, *key, spec);
    const MapEntry* entry = reader.entry(key->name());
    if (entry == nullptr) continue;
    // A key that only makes sense for some formats is an error with the others, not ignored.
    if (!applies_to(*key, spec.data.format))
      fail(entry->key_location, key->path,
           "does not apply to format: " + spec.data.format + " (only to " +
               join(key->formats, " and ") + ")");
    if (key->read) {
      key->read(entry->node(), spec);
    } else {
      read_section(entry->node(), key->path, spec);
    }
  }
}

// The rules that span several keys.
void check_across_keys(const SpecNode& root, SweepSpec& spec) {
  if (spec.method == "random" && spec.run_cap == 0)
    fail(find_key(root, "method")->node().location, "method",
         "random search needs run_cap: the number of trials to draw");
  const SyntheticSpec& s = spec.data.synthetic;
  if (spec.data.format == "synthetic" && s.rows < s.classes) {
    const SpecNode& data = find_key(root, "data")->node();
    const MapEntry* synthetic = find_key(data, "synthetic");
    fail(synthetic ? synthetic->node().location : data.location, "data.synthetic.rows",
         "fewer rows (" + std::to_string(s.rows) + ") than classes (" + std::to_string(s.classes) + ")");
  }
  if (spec.data.format == "muse") spec.data.muse.classes = spec.data.classes;
  if (spec.results_path.empty()) spec.results_path = "results/" + spec.name + ".db";
}

}  // namespace

SweepSpec parse_sweep(const std::string& yaml_text, const std::string& path_for_errors,
                      const std::vector<std::string>& overrides) {
  const std::string origin = path_for_errors.empty() ? "<sweep>" : path_for_errors;
  SpecNode root = spec_detail::parse_yaml_tree(yaml_text, origin, true);
  for (const auto& assignment : overrides) spec_detail::apply_override(root, assignment);

  const std::string top_keys = "keys " + join(names_of(spec_detail::keys_in("")));
  if (root.kind == SpecNode::Kind::null) fail(root.location, "", "the sweep file is empty", top_keys);
  if (root.kind != SpecNode::Kind::map)
    fail(root.location, "", std::string("expected a mapping of keys, got ") + spec_detail::describe(root),
         top_keys);
  reject_foreign_keys(root);

  SweepSpec spec;
  spec.source_path = path_for_errors;
  spec.source_text = yaml_text;
  spec.overrides = overrides;
  read_section(root, "", spec);
  check_across_keys(root, spec);
  return spec;
}

SweepSpec load_sweep_file(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    throw SpecError(path + ": cannot read the sweep file: " +
                    (exists ? "permission denied or not a file" : "no such file"));
  }
  if (std::filesystem::is_directory(path))
    throw SpecError(path + ": cannot read the sweep file: it is a directory");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_sweep(text.str(), path, overrides);
}

}  // namespace eegsweep
