// The sweep file → SweepSpec, driven by the key declarations (sweep_keys.cpp): each section's
// keys are checked against its declared children (unknown keys get the allowed list and a "did
// you mean"), each present key is read by its declaration, then the rules that span keys.
// Like a compiler, it reports every problem at once: an error in one key is recorded and reading
// goes on with the next.

#include <filesystem>
#include <set>

#include "engine/data/input_file.h"
#include "engine/model/metrics.h"
#include "engine/spec/detail/key_table.h"
#include "engine/spec/detail/node_reader.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {
namespace {

using spec_detail::find_key;
using spec_detail::join;
using spec_detail::KeyDecl;
using spec_detail::Location;
using spec_detail::make_message;
using spec_detail::MapEntry;
using spec_detail::SpecNode;

// The errors found so far, and the keys that could not be read: a key whose reading builds on
// one of them is skipped, so one bad data.format is one error, not one per format-specific key.
class ReadState {
 public:
  void add(std::vector<SpecMessage> messages) {
    errors_.insert(errors_.end(), std::make_move_iterator(messages.begin()),
                   std::make_move_iterator(messages.end()));
  }
  void unread(const std::string& path, const SpecError& error) {
    add(error.messages());
    unread_.insert(path);
  }
  void skip(const std::string& path) { unread_.insert(path); }
  void unread(const std::string& path, SpecMessage error) {
    errors_.push_back(std::move(error));
    unread_.insert(path);
  }
  // The key or a section it is in could not be read.
  bool failed(const std::string& path) const {
    for (std::string p = path;; p = p.substr(0, p.rfind('.'))) {
      if (unread_.count(p) > 0) return true;
      if (p.find('.') == std::string::npos) return false;
    }
  }
  std::vector<SpecMessage>& errors() { return errors_; }

 private:
  std::vector<SpecMessage> errors_;
  std::set<std::string> unread_;
};

SpecMessage error_at(const Location& where, const std::string& path, const std::string& problem,
                     const std::string& allowed = {}, const std::string& detail = {}) {
  return make_message(SpecMessage::Severity::error, where, path, problem, allowed, detail);
}

std::vector<std::string> names_of(const std::vector<const KeyDecl*>& keys, bool foreign) {
  std::vector<std::string> names;
  for (const KeyDecl* k : keys)
    if (k->foreign == foreign) names.push_back(k->name());
  return names;
}

bool applies_to(const KeyDecl& key, const std::string& format) {
  return key.formats.empty() ||
         std::find(key.formats.begin(), key.formats.end(), format) != key.formats.end();
}

bool builds_on_failed_key(const KeyDecl& key, const ReadState& state) {
  if (!key.formats.empty() && state.failed("data.format")) return true;
  for (const auto& needed : key.needs)
    if (state.failed(needed)) return true;
  return false;
}

SpecMessage missing_key(const SpecNode& section, const KeyDecl& key) {
  if (key.path == "data")
    return error_at(section.location, "data",
                    "required but missing: the data to train on; paste one of these at the top level",
                    "", spec_detail::data_block_examples());
  if (key.path == "data.format")
    return error_at(section.location, "data.format", "required but missing", key.allowed);
  return error_at(section.location, key.path, "required but missing");
}

// Reads one mapping: its keys in declaration order, each by its declaration; nested mappings
// recursively. Every problem is recorded in `state`; reading goes on with the next key.
void read_section(const SpecNode& node, const std::string& section, SweepSpec& spec, ReadState& state) {
  const auto keys = spec_detail::keys_in(section);
  std::vector<SpecMessage> key_problems = spec_detail::key_problems(
      node, section, names_of(keys, false), "key", &spec, names_of(keys, true));
  const bool is_mapping = node.kind == SpecNode::Kind::map || node.kind == SpecNode::Kind::null;
  state.add(std::move(key_problems));
  if (!is_mapping) {
    state.skip(section);
    return;
  }
  for (const KeyDecl* key : keys) {
    if (builds_on_failed_key(*key, state)) continue;
    const MapEntry* entry = find_key(node, key->name());
    if (entry == nullptr) {
      if (key->required && applies_to(*key, spec.data.format)) state.unread(key->path, missing_key(node, *key));
      continue;
    }
    // A key that only makes sense for some formats is an error with the others, not ignored.
    if (!applies_to(*key, spec.data.format)) {
      state.unread(key->path, error_at(entry->key_location, key->path,
                                       "does not apply to format: " + spec.data.format + " (only to " +
                                           join(key->formats, " and ") + ")"));
      continue;
    }
    try {
      if (key->read) {
        key->read(entry->node(), spec);
      } else {
        read_section(entry->node(), key->path, spec, state);
      }
    } catch (const SpecError& e) {
      state.unread(key->path, e);
    }
  }
}

// Without `name:`, the sweep is named after its file (emotions.yaml → emotions), and says so.
void name_after_file(const SpecNode& root, SweepSpec& spec, ReadState& state) {
  std::string stem = std::filesystem::path(spec.source_path).stem().string();
  if (stem.empty()) stem = "sweep";
  const Location where{root.location.origin, 0, 0};
  const std::string problem = spec_detail::sweep_name_problem(stem);
  if (!problem.empty()) {
    state.unread("name", error_at(where, "name",
                                  "not given, and the file's name cannot stand in for it: " + problem));
    return;
  }
  spec.name = stem;
  spec.messages.push_back(make_message(SpecMessage::Severity::note, where, "name",
                                       "not given: the sweep is named '" + stem + "' after its file"));
}

// hyperband needs its bands; eta must be above 1 (W&B's rule).
void check_early_terminate(const SpecNode& root, SweepSpec& spec, ReadState& state) {
  const MapEntry* block = find_key(root, "early_terminate");
  if (block == nullptr) return;
  const EarlyTerminateSpec& e = spec.early_terminate;
  const Location where = block->node().location;
  if (e.type.empty()) {
    if (!state.failed("early_terminate.type"))
      spec.messages.push_back(make_message(SpecMessage::Severity::warning, where, "early_terminate.type",
                                           "not given: no trial is stopped early; allowed: hyperband, cv_forgiving"));
    return;
  }
  if (e.type != "hyperband") return;
  if (e.max_iter == 0 && e.min_iter == 0 && !state.failed("early_terminate.min_iter") &&
      !state.failed("early_terminate.max_iter"))
    state.unread("early_terminate.min_iter",
                 error_at(where, "early_terminate", "hyperband needs min_iter, or max_iter and s (epochs)"));
  if (e.max_iter > 0 && e.s == 0 && !state.failed("early_terminate.s"))
    state.unread("early_terminate.s", error_at(where, "early_terminate.s",
                                               "max_iter needs s: the number of bands below it"));
  if (!(e.eta > 1) && !state.failed("early_terminate.eta"))
    state.unread("early_terminate.eta", error_at(where, "early_terminate.eta", "must be greater than 1"));
}

// The rules that span several keys, each checked only when the keys it reads were read.
void check_across_keys(const SpecNode& root, SweepSpec& spec, ReadState& state) {
  if (spec.method == "random" && spec.run_cap == 0 && !state.failed("method") && !state.failed("run_cap"))
    state.unread("run_cap", error_at(find_key(root, "method")->node().location, "method",
                                     "random search needs run_cap: the number of trials to draw"));
  if ((spec.method == "bayes" || spec.method == "tpe") && spec.run_cap == 0 && !state.failed("method") &&
      !state.failed("run_cap"))
    state.unread("run_cap", error_at(find_key(root, "method")->node().location, "method",
                                     spec.method + " search needs run_cap: the number of trials to try"));
  check_early_terminate(root, spec, state);
  const SyntheticSpec& s = spec.data.synthetic;
  const bool synthetic_read = !state.failed("data.format") && !state.failed("data.synthetic.rows") &&
                              !state.failed("data.synthetic.classes");
  if (spec.data.format == "synthetic" && synthetic_read && s.rows < s.classes) {
    const SpecNode& data = find_key(root, "data")->node();
    const MapEntry* synthetic = find_key(data, "synthetic");
    state.unread("data.synthetic", error_at(synthetic ? synthetic->node().location : data.location,
                                            "data.synthetic.rows",
                                            "fewer rows (" + std::to_string(s.rows) + ") than classes (" +
                                                std::to_string(s.classes) + ")"));
  }
  // W&B's default goal is minimize; here it follows the metric. Where the two differ, say so:
  // a pasted W&B file would otherwise rank its trials the other way round without a word.
  if (const MapEntry* metric = find_key(root, "metric"); metric != nullptr && !state.failed("metric.name")) {
    const MapEntry* name = find_key(metric->node(), "name");
    if (name != nullptr && find_key(metric->node(), "goal") == nullptr && spec.metric.maximize)
      spec.messages.push_back(make_message(
          SpecMessage::Severity::note, name->node().location, "metric.goal",
          "not given: maximize, as higher " + canonical_metric_name(spec.metric.name) + " is better (W&B's default is minimize)"));
  }
  if (spec.data.format == "muse") spec.data.muse.classes = spec.data.classes;
  if (spec.name.empty() && !state.failed("name")) name_after_file(root, spec, state);
  if (spec.results_path.empty() && !spec.name.empty()) spec.results_path = "results/" + spec.name + ".db";
}

}  // namespace

SweepSpec parse_sweep(const std::string& yaml_text, const std::string& path_for_errors,
                      const std::vector<std::string>& overrides) {
  const std::string origin = path_for_errors.empty() ? "<sweep>" : path_for_errors;
  SpecNode root = spec_detail::parse_yaml_tree(yaml_text, origin, true);  // a syntax error stops here
  ReadState state;
  for (const auto& assignment : overrides) {
    try {
      spec_detail::apply_override(root, assignment);
    } catch (const SpecError& e) {
      state.add(e.messages());  // the other overrides still apply
    }
  }

  SweepSpec spec;
  spec.source_path = path_for_errors;
  spec.source_text = yaml_text;
  spec.overrides = overrides;
  const auto top = spec_detail::keys_in("");
  const std::string top_keys = "keys " + join(names_of(top, false));
  if (root.kind == SpecNode::Kind::null) {
    state.unread("", error_at(root.location, "", "the sweep file is empty", top_keys));
  } else if (root.kind != SpecNode::Kind::map) {
    state.unread("", error_at(root.location, "",
                              std::string("expected a mapping of keys, got ") + spec_detail::describe(root),
                              top_keys));
  } else {
    read_section(root, "", spec, state);
    check_across_keys(root, spec, state);
  }
  if (!state.errors().empty()) {
    std::vector<SpecMessage> messages = std::move(state.errors());
    messages.insert(messages.end(), spec.messages.begin(), spec.messages.end());
    sort_messages(messages);
    throw SpecError(std::move(messages));
  }
  sort_messages(spec.messages);
  return spec;
}

SweepSpec load_sweep_file(const std::string& path, const std::vector<std::string>& overrides) {
  std::string text;
  try {
    text = read_regular_file(path, "sweep file", kMaxSweepFileBytes);
  } catch (const DataError& e) {
    throw SpecError(e.what());
  }
  return parse_sweep(text, path, overrides);
}

}  // namespace eegsweep
