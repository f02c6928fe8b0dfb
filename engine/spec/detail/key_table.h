#pragma once
// Private to engine/spec: the declaration of each sweep-file key outside `parameters:` — path,
// type, allowed values, the data formats it applies to, description, and how it is read into its
// typed SweepSpec field. One row per key in sweep_keys.cpp drives parsing, validation, error text,
// the defaults shown in the docs (read from a default-constructed SweepSpec: the typed field's own
// initializer is the default) and the README's reference.

#include <functional>
#include <string>
#include <vector>

#include "engine/spec/detail/spec_node.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::spec_detail {

struct KeyDecl {
  std::string path;  // "cv.folds"; a key's section is the path before its last dot
  std::string type;
  std::string allowed;
  std::vector<std::string> formats;  // data formats it applies to; empty = all
  std::string help;
  bool required = false;
  // Reads the node into the spec (typed, range-checked, error at the node's location). Empty for
  // a mapping, whose children are read by their own rows.
  std::function<void(const SpecNode& node, SweepSpec& spec)> read;
  // The default as the docs show it; empty: none.
  std::function<std::string()> default_text;
  // Keys whose reading this one builds on (besides data.format for a key with `formats`): when
  // one of them could not be read, this key is skipped rather than reported as a second problem.
  std::vector<std::string> needs;
  // A W&B key that is accepted but not ours (ignored with a warning, or not supported yet): not
  // listed among the allowed keys.
  bool foreign = false;

  bool is_mapping() const { return type == "mapping"; }
  std::string section() const;
  std::string name() const;  // the last component of the path
};

// In reading order: a key's row comes after the rows its reading depends on (data.format before
// the other data keys, method before parameters, data before cv).
const std::vector<KeyDecl>& sweep_key_table();
// The rows directly under `section` ("" = top level, "data", "data.muse", …).
std::vector<const KeyDecl*> keys_in(const std::string& section);

// Why `name` cannot name the results database, or "" when it can.
std::string sweep_name_problem(const std::string& name);
// Minimal `data:` blocks for each format, to paste into a sweep file that has none.
std::string data_block_examples();

}  // namespace eegsweep::spec_detail
