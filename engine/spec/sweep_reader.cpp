// The sweep file → SweepSpec: top-level keys (W&B-compatible plus ours), the data section,
// splits, and resolution of relative paths. Parameter entries are read by param_space.cpp.

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "engine/data/input_file.h"
#include "engine/spec/node_reader.h"
#include "engine/spec/param_space.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {
namespace {

using spec_detail::child_path;
using spec_detail::describe;
using spec_detail::fail;
using spec_detail::find_key;
using spec_detail::join;
using spec_detail::MapEntry;
using spec_detail::MapReader;
using spec_detail::read_bool;
using spec_detail::read_choice;
using spec_detail::read_double;
using spec_detail::read_int;
using spec_detail::read_string;
using spec_detail::read_string_list;
using spec_detail::read_uint64;
using spec_detail::SpecNode;

const std::vector<std::string> top_keys = {
    "name", "description", "method", "metric", "run_cap", "parameters", "data", "test_split",
    "cv", "preprocess", "seed", "device", "resources", "results"};
const std::vector<std::string> data_formats = {"csv", "synthetic", "muse"};
// Kept here rather than taken from engine/model/metrics.h: the spec library does not link the
// model library. Keep in step with metric_names().
const std::vector<std::string> metric_names = {"accuracy", "f1_macro", "precision_macro",
                                               "recall_macro", "loss"};

// Relative paths in the file are relative to the file; relative paths given with --set are
// relative to the working directory, where the user typed them.
std::string resolve_path(const SpecNode& node, const std::string& path_key,
                         const std::string& sweep_file) {
  namespace fs = std::filesystem;
  const std::string text = read_string(node, path_key);
  fs::path p(text);
  if (p.is_relative() && node.location.line > 0) p = fs::path(sweep_file).parent_path() / p;
  std::error_code ec;
  fs::path absolute = fs::absolute(p, ec);
  return (ec ? p : absolute).lexically_normal().string();
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

void read_name(const MapReader& top, SweepSpec& spec) {
  const SpecNode& node = top.require("name");
  spec.name = read_string(node, "name");
  const bool ok_first = std::isalnum(static_cast<unsigned char>(spec.name[0])) != 0;
  for (char c : spec.name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    if (!ok || !ok_first)
      fail(node.location, "name",
           "'" + spec.name + "' cannot name the results database: use letters, digits, '-', '_' "
           "and '.', starting with a letter or digit");
  }
}

void read_method(const MapReader& top, SweepSpec& spec) {
  const SpecNode* node = top.get("method");
  if (node == nullptr) return;
  if (node->kind == SpecNode::Kind::scalar && node->text == "bayes")
    fail(node->location, "method", "bayes is not supported yet", "grid, random");
  spec.method = read_choice(*node, "method", {"grid", "random"});
}

void read_metric(const MapReader& top, SweepSpec& spec) {
  const SpecNode* node = top.get("metric");
  std::string goal;
  if (node != nullptr) {
    const MapReader metric(*node, "metric", {"name", "goal"});
    const SpecNode& name = metric.require("name");
    spec.metric.name = read_string(name, "metric.name");
    const std::string base =
        spec.metric.name.rfind("val_", 0) == 0 ? spec.metric.name.substr(4) : spec.metric.name;
    if (std::find(metric_names.begin(), metric_names.end(), base) == metric_names.end())
      fail(name.location, "metric.name",
           "unknown metric '" + spec.metric.name + "'" +
               spec_detail::did_you_mean(base, metric_names),
           join(metric_names) + " (each also with a val_ prefix)");
    if (const SpecNode* g = metric.get("goal"))
      goal = read_choice(*g, "metric.goal", {"maximize", "minimize"});
  }
  // Unlike W&B (whose default is minimize), the default follows the metric: every metric here
  // is better when higher except the loss.
  const std::string base =
      spec.metric.name.rfind("val_", 0) == 0 ? spec.metric.name.substr(4) : spec.metric.name;
  spec.metric.maximize = goal.empty() ? base != "loss" : goal == "maximize";
}

void read_synthetic(const SpecNode& node, SyntheticSpec& s) {
  const MapReader m(node, "data.synthetic", {"rows", "features", "classes", "noise", "groups", "seed"});
  if (const SpecNode* v = m.get("rows")) s.rows = static_cast<int>(read_int(*v, m.path_of("rows"), 2, 100000000));
  if (const SpecNode* v = m.get("features"))
    s.features = static_cast<int>(read_int(*v, m.path_of("features"), 1, 1000000));
  if (const SpecNode* v = m.get("classes"))
    s.classes = static_cast<int>(read_int(*v, m.path_of("classes"), 2, 1000));
  if (const SpecNode* v = m.get("noise")) s.noise = read_double(*v, m.path_of("noise"), 0, 1e6);
  if (const SpecNode* v = m.get("groups"))
    s.groups = static_cast<int>(read_int(*v, m.path_of("groups"), 0, 100000000));
  if (const SpecNode* v = m.get("seed")) s.seed = read_uint64(*v, m.path_of("seed"));
  if (s.rows < s.classes)
    fail(node.location, "data.synthetic.rows",
         "fewer rows (" + std::to_string(s.rows) + ") than classes (" + std::to_string(s.classes) + ")");
}

void read_muse(const SpecNode& node, MuseOptions& o) {
  const MapReader m(node, "data.muse",
                    {"channels", "filename_pattern", "filter", "bandpass", "bandpass_order", "notch",
                     "window", "hop", "resample", "max_gap"});
  if (const SpecNode* v = m.get("channels")) o.channels = read_string_list(*v, m.path_of("channels"));
  if (const SpecNode* v = m.get("filename_pattern")) {
    o.filename_pattern = read_string(*v, m.path_of("filename_pattern"));
    if (o.filename_pattern.find("{class}") == std::string::npos)
      fail(v->location, m.path_of("filename_pattern"),
           "the pattern needs a {class} placeholder: the class word is the label");
  }
  if (const SpecNode* v = m.get("filter")) o.filter = read_bool(*v, m.path_of("filter"));
  if (const SpecNode* v = m.get("bandpass")) {
    const std::string path = m.path_of("bandpass");
    if (v->kind != SpecNode::Kind::sequence || v->items.size() != 2)
      fail(v->location, path, "expected [low, high] in Hz, got " + describe(*v));
    o.bandpass_low_hz = read_double(v->items[0], path + "[0]", 0, 1e6);
    o.bandpass_high_hz = read_double(v->items[1], path + "[1]", 0, 1e6);
    if (!(o.bandpass_low_hz < o.bandpass_high_hz))
      fail(v->location, path, "low must be below high");
  }
  if (const SpecNode* v = m.get("bandpass_order"))
    o.bandpass_order = static_cast<int>(read_int(*v, m.path_of("bandpass_order"), 1, 16));
  if (const SpecNode* v = m.get("notch")) o.notch_hz = read_double(*v, m.path_of("notch"), 0, 1e6);
  if (const SpecNode* v = m.get("window"))
    o.window_seconds = read_double(*v, m.path_of("window"), 1e-3, 1e5);
  if (const SpecNode* v = m.get("hop")) o.hop_seconds = read_double(*v, m.path_of("hop"), 1e-3, 1e5);
  if (const SpecNode* v = m.get("resample"))
    o.resample_samples = static_cast<int>(read_int(*v, m.path_of("resample"), 1, 1000000));
  if (const SpecNode* v = m.get("max_gap"))
    o.max_gap_seconds = read_double(*v, m.path_of("max_gap"), 1e-3, 1e5);
}

// A key that only makes sense for some formats is an error with the others, not ignored.
void only_for(const MapReader& data, const std::string& key, const std::string& format,
              const std::string& formats_text) {
  if (const MapEntry* e = data.entry(key))
    fail(e->key_location, data.path_of(key),
         "does not apply to format: " + format + " (only to " + formats_text + ")");
}

void read_data(const MapReader& top, const std::string& sweep_file, SweepSpec& spec) {
  const SpecNode* node = top.get("data");
  if (node == nullptr)
    fail(top.node().location, "data", "required but missing (the data to train on)",
         "format: " + join(data_formats, " | "));
  const MapReader data(*node, "data",
                       {"format", "path", "label", "group", "classes", "synthetic", "muse"});
  if (data.get("format") == nullptr)
    fail(node->location, "data.format", "required but missing", join(data_formats));
  DataSpec& d = spec.data;
  d.format = read_choice(*data.get("format"), "data.format", data_formats);

  if (d.format == "synthetic") {
    only_for(data, "path", d.format, "csv and muse");
    only_for(data, "label", d.format, "csv");
    only_for(data, "group", d.format, "csv");
    if (const MapEntry* e = data.entry("classes"))
      fail(e->key_location, "data.classes",
           "synthetic classes are named class0, class1, …; set their number with "
           "data.synthetic.classes");
  } else {
    d.path = resolve_path(data.require("path"), "data.path", sweep_file);
    if (const SpecNode* v = data.get("classes")) d.classes = read_string_list(*v, "data.classes");
  }
  if (d.format == "muse") {
    only_for(data, "label", d.format, "csv");
    only_for(data, "group", d.format, "csv");
    d.muse.classes = d.classes;
  }
  if (d.format == "csv") {
    if (const SpecNode* v = data.get("label")) d.label_column = read_string(*v, "data.label");
    if (const SpecNode* v = data.get("group")) d.group_column = read_string(*v, "data.group");
  }
  if (d.format != "synthetic") only_for(data, "synthetic", d.format, "synthetic");
  if (d.format != "muse") only_for(data, "muse", d.format, "muse");
  if (const SpecNode* v = data.get("synthetic")) read_synthetic(*v, d.synthetic);
  if (const SpecNode* v = data.get("muse")) read_muse(*v, d.muse);
}

void read_cv(const MapReader& top, SweepSpec& spec) {
  const SpecNode* node = top.get("cv");
  if (node == nullptr) return;
  const MapReader cv(*node, "cv", {"folds", "stratified", "group_by"});
  if (const SpecNode* v = cv.get("folds")) spec.cv.folds = static_cast<int>(read_int(*v, "cv.folds", 2, 1000));
  if (const SpecNode* v = cv.get("stratified")) spec.cv.stratified = read_bool(*v, "cv.stratified");
  const SpecNode* group = cv.get("group_by");
  // Empty (`group_by:` or --set cv.group_by=) means ungrouped folds, so a grouped sweep file can
  // be rerun with random folds for comparison.
  if (group == nullptr || group->kind == SpecNode::Kind::null ||
      (group->kind == SpecNode::Kind::scalar && group->text.empty()))
    return;
  DataSpec& d = spec.data;
  if (d.format == "muse") {
    spec.cv.group_by = read_choice(*group, "cv.group_by", {"recording", "subject"});
  } else if (d.format == "csv") {
    // Grouped folds on a csv use its group column: group_by names it (or must agree with
    // data.group when both are given).
    spec.cv.group_by = read_string(*group, "cv.group_by");
    if (d.group_column.empty()) {
      d.group_column = spec.cv.group_by;
    } else if (d.group_column != spec.cv.group_by) {
      fail(group->location, "cv.group_by",
           "differs from data.group '" + d.group_column + "': grouped folds use the csv's group column");
    }
  } else {
    spec.cv.group_by = read_string(*group, "cv.group_by");
    if (d.synthetic.groups <= 0)
      fail(group->location, "cv.group_by",
           "synthetic data has no groups: set data.synthetic.groups to the number of groups");
  }
}

void read_parameters(const MapReader& top, SweepSpec& spec) {
  const SpecNode* node = top.get("parameters");
  if (node == nullptr) return;
  std::vector<std::string> names;
  for (const auto& p : parameter_table()) names.push_back(p.name);
  const MapReader parameters(*node, "parameters", names, "parameter");
  for (const MapEntry& entry : node->entries)
    spec.parameters[entry.key] = spec_detail::read_parameter_space(
        entry, *find_parameter(entry.key), spec.method == "random");
}

}  // namespace

SweepSpec parse_sweep(const std::string& yaml_text, const std::string& path_for_errors,
                      const std::vector<std::string>& overrides) {
  const std::string origin = path_for_errors.empty() ? "<sweep>" : path_for_errors;
  SpecNode root = spec_detail::parse_yaml_tree(yaml_text, origin, true);
  for (const auto& assignment : overrides) spec_detail::apply_override(root, assignment);

  if (root.kind == SpecNode::Kind::null)
    fail(root.location, "", "the sweep file is empty", "keys " + join(top_keys));
  if (root.kind != SpecNode::Kind::map)
    fail(root.location, "", std::string("expected a mapping of keys, got ") + describe(root),
         "keys " + join(top_keys));
  reject_foreign_keys(root);
  const MapReader top(root, "", top_keys);

  SweepSpec spec;
  spec.source_path = path_for_errors;
  spec.source_text = yaml_text;
  spec.overrides = overrides;

  read_name(top, spec);
  if (const SpecNode* v = top.get("description")) {
    if (v->kind != SpecNode::Kind::scalar && v->kind != SpecNode::Kind::null)
      fail(v->location, "description", "expected text, got " + describe(*v));
    spec.description = v->text;
  }
  read_method(top, spec);
  read_metric(top, spec);
  if (const SpecNode* v = top.get("run_cap"))
    spec.run_cap = static_cast<int>(read_int(*v, "run_cap", 1, 100000000));
  if (spec.method == "random" && spec.run_cap == 0)
    fail(top.get("method")->location, "method",
         "random search needs run_cap: the number of trials to draw");
  read_parameters(top, spec);
  read_data(top, path_for_errors, spec);
  if (const SpecNode* v = top.get("test_split"))
    spec.test_split = read_double(*v, "test_split", 0, 1, true);
  read_cv(top, spec);
  if (const SpecNode* v = top.get("preprocess")) {
    const MapReader preprocess(*v, "preprocess", {"standardize"});
    if (const SpecNode* s = preprocess.get("standardize"))
      spec.standardize = read_bool(*s, "preprocess.standardize");
  }
  if (const SpecNode* v = top.get("seed")) spec.seed = read_uint64(*v, "seed");
  if (const SpecNode* v = top.get("device")) spec.device = read_choice(*v, "device", {"auto", "cpu", "cuda"});
  if (const SpecNode* v = top.get("resources")) {
    const MapReader resources(*v, "resources", {"max_concurrent"});
    if (const SpecNode* m = resources.get("max_concurrent"))
      spec.max_concurrent = static_cast<int>(read_int(*m, "resources.max_concurrent", 0, 65536));
  }
  spec.results_path = "results/" + spec.name + ".db";
  if (const SpecNode* v = top.get("results")) spec.results_path = read_string(*v, "results");
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
