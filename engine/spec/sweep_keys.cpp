// Every sweep-file key outside `parameters:`, declared once (see key_table.h). W&B's keys keep
// W&B's names and meanings (name, description, method, metric, run_cap, parameters); the rest are
// ours.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "engine/model/metrics.h"
#include "engine/spec/detail/key_table.h"
#include "engine/spec/detail/node_reader.h"
#include "engine/spec/detail/param_space.h"
#include "engine/spec/sweep_keys.h"

namespace eegsweep::spec_detail {
namespace {

using Strings = std::vector<std::string>;

// Defaults shown in the docs are what a default-constructed SweepSpec holds: the typed field's
// own initializer, written once.
KeyDecl declare(std::string path, std::string type, std::string allowed, Strings formats,
                std::string help) {
  KeyDecl k;
  k.path = std::move(path);
  k.type = std::move(type);
  k.allowed = std::move(allowed);
  k.formats = std::move(formats);
  k.help = std::move(help);
  return k;
}

// A key whose value goes into one typed field: `read_value(node, path)` reads and checks it,
// `text(value)` shows the field's default in the docs.
template <class Get, class Read, class Text>
KeyDecl typed_key(std::string path, std::string type, std::string allowed, Strings formats,
                  std::string help, Get get, Read read_value, Text text) {
  KeyDecl k = declare(path, std::move(type), std::move(allowed), std::move(formats), std::move(help));
  k.read = [get, path, read_value](const SpecNode& node, SweepSpec& spec) {
    get(spec) = read_value(node, path);
  };
  k.default_text = [get, text] {
    SweepSpec defaults;
    return text(get(defaults));
  };
  return k;
}

template <class Get>
KeyDecl int_key(std::string path, Get get, std::int64_t min, std::int64_t max, std::string help,
                Strings formats = {}) {
  return typed_key(
      path, "int", std::to_string(min) + " .. " + std::to_string(max), std::move(formats),
      std::move(help), get,
      [min, max](const SpecNode& node, const std::string& p) { return static_cast<int>(read_int(node, p, min, max)); },
      [](int value) { return std::to_string(value); });
}

template <class Get>
KeyDecl float_key(std::string path, Get get, double min, double max, std::string help,
                  Strings formats = {}, bool max_exclusive = false) {
  return typed_key(
      path, "float", format_double(min) + (max_exclusive ? " <= x < " : " .. ") + format_double(max),
      std::move(formats), std::move(help), get,
      [min, max, max_exclusive](const SpecNode& node, const std::string& p) {
        return read_double(node, p, min, max, max_exclusive);
      },
      [](double value) { return format_double(value); });
}

template <class Get>
KeyDecl bool_key(std::string path, Get get, std::string help, Strings formats = {}) {
  return typed_key(path, "bool", "true, false", std::move(formats), std::move(help), get, read_bool,
                   [](bool value) { return std::string(value ? "true" : "false"); });
}

template <class Get>
KeyDecl seed_key(std::string path, Get get, std::string help, Strings formats = {}) {
  return typed_key(path, "seed", "0 .. 2^64-1", std::move(formats), std::move(help), get, read_uint64,
                   [](std::uint64_t value) { return std::to_string(value); });
}

template <class Get>
KeyDecl text_key(std::string path, Get get, std::string help, Strings formats = {}) {
  return typed_key(path, "text", "", std::move(formats), std::move(help), get, read_string,
                   [](const std::string& value) { return value; });
}

template <class Get>
KeyDecl choice_key(std::string path, Get get, Strings choices, std::string help) {
  return typed_key(
      path, "choice", join(choices), {}, std::move(help), get,
      [choices](const SpecNode& node, const std::string& p) { return read_choice(node, p, choices); },
      [](const std::string& value) { return value; });
}

template <class Get>
KeyDecl names_key(std::string path, Get get, std::string help, Strings formats = {}) {
  return typed_key(path, "names", "a list of distinct names", std::move(formats), std::move(help), get,
                   read_string_list, [](const Strings& value) { return "[" + join(value) + "]"; });
}

KeyDecl mapping(std::string path, std::string help, Strings formats = {}) {
  return declare(std::move(path), "mapping", "", std::move(formats), std::move(help));
}

// A key read by its own code (cross-key rules, W&B spellings); its doc row is declared here too.
KeyDecl custom_key(std::string path, std::string type, std::string allowed, std::string default_text,
                   std::string help, std::function<void(const SpecNode&, SweepSpec&)> read,
                   Strings formats = {}) {
  KeyDecl k = declare(std::move(path), std::move(type), std::move(allowed), std::move(formats), std::move(help));
  k.read = std::move(read);
  if (!default_text.empty()) k.default_text = [default_text] { return default_text; };
  return k;
}

KeyDecl required(KeyDecl k) {
  k.required = true;
  return k;
}

KeyDecl after(KeyDecl k, Strings needs) {
  k.needs = std::move(needs);
  return k;
}

// A key of W&B sweep files that means nothing here: accepted (it stays in the stored spec text)
// with a warning that says what eegsweep does instead.
KeyDecl wandb_ignored(const std::string& path, const std::string& instead) {
  KeyDecl k = declare(path, "W&B", "", {}, "ignored, with a warning: " + instead);
  k.foreign = true;
  k.read = [path, instead](const SpecNode& node, SweepSpec& spec) {
    const std::string written =
        node.kind == SpecNode::Kind::scalar ? "`" + path + ": " + node.text + "`" : "`" + path + "`";
    spec.messages.push_back(
        make_message(SpecMessage::Severity::warning, node.location, path, instead + "; " + written + " is ignored"));
  };
  return k;
}

void read_name(const SpecNode& node, SweepSpec& spec) {
  const std::string name = read_string(node, "name");
  const std::string problem = sweep_name_problem(name);
  if (!problem.empty()) fail(node.location, "name", problem);
  spec.name = name;
}

void read_description(const SpecNode& node, SweepSpec& spec) {
  if (node.kind != SpecNode::Kind::scalar && node.kind != SpecNode::Kind::null)
    fail(node.location, "description", "expected text, got " + describe(node));
  spec.description = node.text;
}

void read_method(const SpecNode& node, SweepSpec& spec) {
  // Until the method is read, parameters are read by random search's rules, which accept every
  // form: a bad method is one error, not one more for each distribution.
  spec.method = "random";
  spec.method = read_choice(node, "method", {"grid", "random", "bayes", "tpe"});
}

// Metric names as W&B sweep files write them (Keras's history keys): taken as ours, and said so.
struct MetricAlias {
  std::string name, ours, meaning;
};
const std::vector<MetricAlias>& metric_aliases() {
  static const std::vector<MetricAlias> aliases = {
      {"acc", "accuracy", ""},
      {"val_acc", "accuracy", ""},
      {"f1", "f1_macro", "the unweighted mean of the classes' F1"},
      {"val_f1", "f1_macro", "the unweighted mean of the classes' F1"},
      {"balanced_accuracy", "recall_macro", "balanced accuracy is the mean of the classes' recall"},
      {"val_balanced_accuracy", "recall_macro", "balanced accuracy is the mean of the classes' recall"},
  };
  return aliases;
}

void read_metric_name(const SpecNode& node, SweepSpec& spec) {
  const std::string written = read_string(node, "metric.name");
  const auto alias = std::find_if(metric_aliases().begin(), metric_aliases().end(),
                                  [&](const MetricAlias& a) { return a.name == written; });
  std::string ours = canonical_metric_name(written), meaning;
  if (alias != metric_aliases().end()) {
    ours = alias->ours;
    meaning = alias->meaning;
    spec.metric.name = ours;
  } else if (metric_is_known(written)) {
    spec.metric.name = written;  // ours, perhaps with Keras's val_ prefix
  } else {
    // Suggestions come from our names only: a short alias is a typo away from other metrics
    // ("auc" from "acc") that it does not mean.
    fail(node.location, "metric.name",
         "unknown metric '" + written + "'" + did_you_mean(canonical_metric_name(written), metric_names()),
         join(metric_names()) + " (each also with a val_ prefix); W&B/Keras names acc, val_acc, f1, "
         "balanced_accuracy");
  }
  if (written != ours)
    spec.messages.push_back(make_message(
        SpecMessage::Severity::note, node.location, "metric.name",
        "'" + written + "' is read as '" + ours + "'" + (meaning.empty() ? "" : " (" + meaning + ")") +
            ", scored on each fold's validation rows"));
  // Unlike W&B (whose default goal is minimize), the default follows the metric: every metric
  // here is better when higher except the loss. metric.goal, read after this, overrides it.
  spec.metric.maximize = metric_default_maximize(spec.metric.name);
}

void read_metric_goal(const SpecNode& node, SweepSpec& spec) {
  spec.metric.maximize = read_choice(node, "metric.goal", {"maximize", "minimize"}) == "maximize";
}

// What an unknown parameter probably meant: a parameter another tool spells that way, or one a
// typo away. Empty when nothing is close.
std::string parameter_meant(const std::string& key, const Strings& names) {
  std::string lowered = key;
  for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& p : parameter_table())
    if (std::find(p.other_spellings.begin(), p.other_spellings.end(), lowered) != p.other_spellings.end())
      return p.name;
  return closest_name(key, names);
}

// Parameters W&B sweeps often have that mean nothing here; a silent default would mislead.
std::string parameter_without_counterpart(const std::string& key) {
  if (key == "optimizer" || key == "optim" || key == "optimiser")
    return "unknown parameter: eegsweep always trains with Adam (sweep learning_rate and "
           "weight_decay instead)";
  return "";
}

// Every parameter is read, each unknown or bad one reported, before the errors are thrown.
void read_parameters(const SpecNode& node, SweepSpec& spec) {
  Strings names;
  for (const auto& p : parameter_table()) names.push_back(p.name);
  std::vector<SpecMessage> errors;
  if (node.kind != SpecNode::Kind::map && node.kind != SpecNode::Kind::null)
    fail(node.location, "parameters", "expected a mapping of parameters, got " + describe(node),
         join(names));
  for (std::size_t i = 0; i < node.entries.size(); ++i) {
    const MapEntry& entry = node.entries[i];
    const std::string path = "parameters." + entry.key;
    const ParameterInfo* info = find_parameter(entry.key);
    if (info == nullptr) {
      const std::string no_counterpart = parameter_without_counterpart(entry.key);
      if (!no_counterpart.empty()) {
        errors.push_back(make_message(SpecMessage::Severity::error, entry.key_location, path,
                                      no_counterpart, join(names)));
      } else {
        errors.push_back(
            unknown_key_error(entry, path, "parameter", parameter_meant(entry.key, names), names, &spec));
      }
      continue;
    }
    const MapEntry* first = find_key(node, entry.key);
    if (first != &entry) {
      errors.push_back(make_message(SpecMessage::Severity::error, entry.key_location, path,
                                    "duplicate key (first given at " + first->key_location.str() + ")"));
      continue;
    }
    try {
      spec.parameters[entry.key] = read_parameter_space(entry, *info, spec.method != "grid");
    } catch (const SpecError& e) {
      errors.insert(errors.end(), e.messages().begin(), e.messages().end());
    }
  }
  if (!errors.empty()) throw SpecError(std::move(errors));
}

// Relative paths in the file are relative to the file; relative paths given with --set are
// relative to the working directory, where the user typed them.
void read_data_path(const SpecNode& node, SweepSpec& spec) {
  namespace fs = std::filesystem;
  fs::path p(read_string(node, "data.path"));
  if (p.is_relative() && node.location.line > 0) p = fs::path(spec.source_path).parent_path() / p;
  std::error_code ec;
  const fs::path absolute = fs::absolute(p, ec);
  spec.data.path = (ec ? p : absolute).lexically_normal().string();
}

void read_data_classes(const SpecNode& node, SweepSpec& spec) {
  if (spec.data.format == "synthetic")
    fail(node.location, "data.classes",
         "synthetic classes are named class0, class1, …; set their number with "
         "data.synthetic.classes");
  spec.data.classes = read_string_list(node, "data.classes");
}

void read_filename_pattern(const SpecNode& node, SweepSpec& spec) {
  const std::string path = "data.muse.filename_pattern";
  spec.data.muse.filename_pattern = read_string(node, path);
  if (spec.data.muse.filename_pattern.find("{class}") == std::string::npos)
    fail(node.location, path, "the pattern needs a {class} placeholder: the class word is the label");
}

void read_bandpass(const SpecNode& node, SweepSpec& spec) {
  const std::string path = "data.muse.bandpass";
  MuseOptions& o = spec.data.muse;
  if (node.kind != SpecNode::Kind::sequence || node.items.size() != 2)
    fail(node.location, path, "expected [low, high] in Hz, got " + describe(node));
  o.bandpass_low_hz = read_double(node.items[0], path + "[0]", 0, 1e6);
  o.bandpass_high_hz = read_double(node.items[1], path + "[1]", 0, 1e6);
  if (!(o.bandpass_low_hz < o.bandpass_high_hz)) fail(node.location, path, "low must be below high");
}

void read_group_by(const SpecNode& group, SweepSpec& spec) {
  // Empty (`group_by:` or --set cv.group_by=) means ungrouped folds, so a grouped sweep file can
  // be rerun with random folds for comparison.
  if (group.kind == SpecNode::Kind::null || (group.kind == SpecNode::Kind::scalar && group.text.empty()))
    return;
  DataSpec& d = spec.data;
  if (d.format == "muse") {
    spec.cv.group_by = read_choice(group, "cv.group_by", {"recording", "subject"});
  } else if (d.format == "csv") {
    // Grouped folds on a csv use its group column: group_by names it (or must agree with
    // data.group when both are given).
    spec.cv.group_by = read_string(group, "cv.group_by");
    if (d.group_column.empty()) {
      d.group_column = spec.cv.group_by;
    } else if (d.group_column != spec.cv.group_by) {
      fail(group.location, "cv.group_by",
           "differs from data.group '" + d.group_column + "': grouped folds use the csv's group column");
    }
  } else {
    spec.cv.group_by = read_string(group, "cv.group_by");
    if (d.synthetic.groups <= 0)
      fail(group.location, "cv.group_by",
           "synthetic data has no groups: set data.synthetic.groups to the number of groups");
  }
}

void read_cv_method(const SpecNode& node, SweepSpec& spec) {
  spec.cv.method = read_choice(node, "cv.method", {"kfold", "leave_one_group_out"});
  if (spec.cv.method == "leave_one_group_out" && spec.cv.group_by.empty())
    fail(node.location, "cv.method",
         "leave_one_group_out needs cv.group_by: the groups to leave out one at a time "
         "(e.g. group_by: subject)");
}

// The test groups are values of the data's group column; whether each exists is checked when the
// data is loaded (sweep_plan), with this key's position in the message.
void read_test_groups(const SpecNode& node, SweepSpec& spec) {
  const DataSpec& d = spec.data;
  if (d.format == "csv" && d.group_column.empty())
    fail(node.location, "test.groups",
         "names values of the group column, but the data has none: set data.group (or cv.group_by)");
  if (d.format == "synthetic" && d.synthetic.groups <= 0)
    fail(node.location, "test.groups",
         "synthetic data has no groups: set data.synthetic.groups to the number of groups");
  spec.test.groups = read_string_list(node, "test.groups");
  spec.test.groups_origin = node.location.str();
}

void read_test_path(const SpecNode& node, SweepSpec& spec) {
  if (spec.data.format == "synthetic")
    fail(node.location, "test.path", "synthetic data has no file to hold out; use test_split or test.groups");
  if (!spec.test.groups.empty())
    fail(node.location, "test.path", "give test.groups or test.path, not both");
  SweepSpec resolved;
  resolved.source_path = spec.source_path;
  read_data_path(node, resolved);
  spec.test.path = resolved.data.path;
}

std::vector<KeyDecl> make_table() {
  const Strings csv_muse = {"csv", "muse"}, csv = {"csv"}, muse = {"muse"}, synthetic = {"synthetic"};
  const Strings formats = {"csv", "synthetic", "muse"};
  auto muse_field = [](auto member) {
    return [member](SweepSpec& s) -> auto& { return s.data.muse.*member; };
  };
  auto synthetic_field = [](auto member) {
    return [member](SweepSpec& s) -> auto& { return s.data.synthetic.*member; };
  };
  return {
      custom_key("name", "text", "letters, digits, - _ .", "the file's stem",
                 "the sweep's name; its results go to results/<name>.db by default", read_name),
      custom_key("description", "text", "", "", "free text, stored with the sweep", read_description),
      custom_key("method", "choice", "grid, random, bayes, tpe", "grid",
                 "grid: every combination of values; random: run_cap draws; bayes (= tpe): a "
                 "Tree-structured Parzen Estimator, not a Gaussian process, run_cap trials",
                 read_method),
      mapping("metric", "the score that ranks trials and drives early stopping"),
      required(custom_key("metric.name", "choice", join(metric_names()) + " (also with val_)", "accuracy",
                 "validation metric (without a metric section: accuracy)", read_metric_name)),
      custom_key("metric.goal", "choice", "maximize, minimize", "by metric (minimize for loss)",
                 "whether higher is better", read_metric_goal),
      int_key("run_cap", [](SweepSpec& s) -> int& { return s.run_cap; }, 0, 100000000,
              "at most this many trials (required by random search; 0 = no cap)"),
      custom_key("parameters", "mapping", "see Sweepable parameters", "",
                 "the search space, one entry per parameter", read_parameters),
      required(mapping("data", "the table to train on")),
      required(choice_key("data.format", [](SweepSpec& s) -> std::string& { return s.data.format; },
                          formats, "csv: a feature table; muse: raw Muse recordings; synthetic: generated")),
      required(custom_key("data.path", "path", "", "", "the csv file or the folder of recordings, relative to the sweep file",
                          read_data_path, csv_muse)),
      text_key("data.label", [](SweepSpec& s) -> std::string& { return s.data.label_column; },
               "label column (class names or integers)", csv),
      text_key("data.group", [](SweepSpec& s) -> std::string& { return s.data.group_column; },
               "group column, for grouped CV", csv),
      after(custom_key("data.classes", "names", "a list of distinct names", "sorted labels",
                       "the class order (and, for muse, the allowed class words)", read_data_classes),
            {"data.format"}),
      mapping("data.synthetic", "generated EEG-like sequences", synthetic),
      int_key("data.synthetic.rows", synthetic_field(&SyntheticSpec::rows), 2, 100000000, "rows", synthetic),
      int_key("data.synthetic.features", synthetic_field(&SyntheticSpec::features), 1, 1000000,
              "features per row", synthetic),
      int_key("data.synthetic.classes", synthetic_field(&SyntheticSpec::classes), 2, 1000, "classes", synthetic),
      float_key("data.synthetic.noise", synthetic_field(&SyntheticSpec::noise), 0, 1e6,
                "noise-to-signal ratio", synthetic),
      int_key("data.synthetic.groups", synthetic_field(&SyntheticSpec::groups), 0, 100000000,
              "rows are dealt round-robin to this many groups (0 = none)", synthetic),
      seed_key("data.synthetic.seed", synthetic_field(&SyntheticSpec::seed), "generator seed", synthetic),
      mapping("data.muse", "how recordings become feature rows", muse),
      names_key("data.muse.channels", muse_field(&MuseOptions::channels), "EEG channel columns", muse),
      custom_key("data.muse.filename_pattern", "text", "with {class}; {subject}, {session} optional",
                 MuseOptions{}.filename_pattern, "file name → subject, class and session",
                 read_filename_pattern, muse),
      bool_key("data.muse.filter", muse_field(&MuseOptions::filter),
               "zero-phase band-pass and notch filter per recording", muse),
      custom_key("data.muse.bandpass", "[low, high]", "0 .. 1e6 Hz, low < high",
                 "[" + format_double(MuseOptions{}.bandpass_low_hz) + ", " +
                     format_double(MuseOptions{}.bandpass_high_hz) + "]",
                 "Butterworth band-pass edges in Hz", read_bandpass, muse),
      int_key("data.muse.bandpass_order", muse_field(&MuseOptions::bandpass_order), 1, 16,
              "Butterworth order (applied forward and backward)", muse),
      float_key("data.muse.notch", muse_field(&MuseOptions::notch_hz), 0, 1e6,
                "notch frequency in Hz (0 = none)", muse),
      float_key("data.muse.window", muse_field(&MuseOptions::window_seconds), 1e-3, 1e5,
                "window length in seconds", muse),
      float_key("data.muse.hop", muse_field(&MuseOptions::hop_seconds), 1e-3, 1e5,
                "step between windows in seconds", muse),
      int_key("data.muse.resample", muse_field(&MuseOptions::resample_samples), 1, 1000000,
              "samples per channel each window is resampled to", muse),
      float_key("data.muse.max_gap", muse_field(&MuseOptions::max_gap_seconds), 1e-3, 1e5,
                "a longer pause between timestamps splits a recording (seconds)", muse),
      float_key("test_split", [](SweepSpec& s) -> double& { return s.test_split; }, 0, 1,
                "fraction of rows held out for the final test (stratified; whole groups when CV is grouped)",
                {}, true),
      mapping("cv", "cross-validation"),
      int_key("cv.folds", [](SweepSpec& s) -> int& { return s.cv.folds; }, 2, 1000, "number of folds"),
      bool_key("cv.stratified", [](SweepSpec& s) -> bool& { return s.cv.stratified; },
               "keep class proportions in every fold"),
      after(custom_key("cv.group_by", "text", "csv: a column; muse: recording, subject", "",
                       "no group in two folds (empty = random folds)", read_group_by),
            {"data.format", "data.group", "data.synthetic.groups"}),
      after(custom_key("cv.method", "choice", "kfold, leave_one_group_out", CvSpec{}.method,
                       "kfold: cv.folds folds; leave_one_group_out: one fold per group of cv.group_by "
                       "(cv.folds is not used)",
                       read_cv_method),
            {"cv.group_by"}),
      choice_key("cv.epoch_selection", [](SweepSpec& s) -> std::string& { return s.cv.epoch_selection; },
                 {"inner", "fold"},
                 "inner: each fold's early stopping and best epoch are decided on an inner split of its "
                 "training rows (grouped when CV is grouped), and its validation rows score that epoch "
                 "once; fold: decided on the fold's own validation rows (optimistic)"),
      mapping("test", "a chosen held-out test set, in place of test_split"),
      after(custom_key("test.groups", "names", "values of the group column", "",
                       "these groups (e.g. subjects) are the test set; every other row is for CV",
                       read_test_groups),
            {"data.format", "data.group", "data.synthetic.groups", "cv.group_by"}),
      after(custom_key("test.path", "path", "", "",
                       "separate data (a csv file or a folder of recordings, relative to the sweep file), "
                       "read and featurized as data.path, is the test set; every row of data.path is for CV",
                       read_test_path, {"csv", "muse"}),
            {"data.format", "test.groups"}),
      mapping("preprocess", "preprocessing"),
      bool_key("preprocess.standardize", [](SweepSpec& s) -> bool& { return s.standardize; },
               "z-score each feature with statistics of each fold's training rows only"),
      seed_key("seed", [](SweepSpec& s) -> std::uint64_t& { return s.seed; },
               "every split, initialisation, shuffle and dropout mask derives from it"),
      choice_key("device", [](SweepSpec& s) -> std::string& { return s.device; }, {"auto", "cpu", "cuda"},
                 "where to train (auto: a GPU when there is one)"),
      mapping("resources", "how much to run at once"),
      int_key("resources.max_concurrent", [](SweepSpec& s) -> int& { return s.max_concurrent; }, 0, 65536,
              "units trained at once (0 = one per core, 8 per GPU)"),
      custom_key("results", "text", "", "results/<name>.db", "the results database",
                 [](const SpecNode& node, SweepSpec& spec) { spec.results_path = read_string(node, "results"); }),
      wandb_ignored("program", "eegsweep trains the GRU itself"),
      wandb_ignored("command", "eegsweep runs no command: it trains the GRU itself"),
      wandb_ignored("project", "results stay in the local results database (`results`), nothing is sent to W&B"),
      wandb_ignored("entity", "nothing is uploaded: results stay in the local results database"),
      wandb_ignored("controller", "`sweep run` schedules the trials itself (several processes may share "
                                  "one database)"),
      mapping("early_terminate", "stop hopeless trials early (W&B's hyperband; the fold-aware rule)"),
      choice_key("early_terminate.type", [](SweepSpec& s) -> std::string& { return s.early_terminate.type; },
                 {"hyperband", "cv_forgiving"},
                 "hyperband: W&B's bands on fold 1's learning curves; cv_forgiving: stop a trial "
                 "whose fold is worse than the best trial's worst fold"),
      int_key("early_terminate.min_iter", [](SweepSpec& s) -> int& { return s.early_terminate.min_iter; },
              0, 1000000, "hyperband: the first band, in epochs (bands min_iter·eta^k)"),
      int_key("early_terminate.max_iter", [](SweepSpec& s) -> int& { return s.early_terminate.max_iter; },
              0, 1000000, "hyperband: bands max_iter/eta^k for k = 1..s (wins over min_iter)"),
      int_key("early_terminate.s", [](SweepSpec& s) -> int& { return s.early_terminate.s; }, 0, 100,
              "hyperband: the number of bands below max_iter"),
      float_key("early_terminate.eta", [](SweepSpec& s) -> double& { return s.early_terminate.eta; }, 1, 1e6,
                "hyperband: the cut-off keeps the best 1/eta at each band (must be > 1)"),
      bool_key("early_terminate.strict", [](SweepSpec& s) -> bool& { return s.early_terminate.strict; },
               "hyperband: judge the value at the band (true) or the best so far (false)"),
      bool_key("early_terminate.forgiving", [](SweepSpec& s) -> bool& { return s.early_terminate.forgiving; },
               "hyperband: also apply the cv_forgiving fold rule"),
  };
}

}  // namespace

std::string KeyDecl::section() const {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(0, dot);
}

std::string KeyDecl::name() const {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

std::string sweep_name_problem(const std::string& name) {
  bool ok = !name.empty() && std::isalnum(static_cast<unsigned char>(name[0])) != 0;
  for (char c : name)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  if (ok) return "";
  return "'" + name + "' cannot name the results database: use letters, digits, '-', '_' and '.', "
         "starting with a letter or digit";
}

std::string data_block_examples() {
  return "# a feature table, one row per example:\n"
         "data:\n"
         "  format: csv\n"
         "  path: features.csv        # relative to this file\n"
         "  label: label              # the label column\n"
         "# raw Muse recordings, files named {subject}-{class}-{session}.csv:\n"
         "data:\n"
         "  format: muse\n"
         "  path: recordings/\n"
         "# generated EEG-like sequences, to try the engine:\n"
         "data:\n"
         "  format: synthetic";
}

const std::vector<KeyDecl>& sweep_key_table() {
  static const std::vector<KeyDecl> table = make_table();
  return table;
}

std::vector<const KeyDecl*> keys_in(const std::string& section) {
  std::vector<const KeyDecl*> keys;
  for (const auto& k : sweep_key_table())
    if (k.section() == section) keys.push_back(&k);
  return keys;
}

}  // namespace eegsweep::spec_detail

namespace eegsweep {

std::vector<SweepKeyDoc> sweep_key_docs() {
  std::vector<SweepKeyDoc> docs;
  for (const auto& k : spec_detail::sweep_key_table()) {
    docs.push_back({k.path, k.type, k.default_text ? k.default_text() : "", k.allowed,
                    spec_detail::join(k.formats), k.help});
    if (k.required) docs.back().default_text = "required";
  }
  return docs;
}

std::string sweep_keys_markdown() {
  std::ostringstream out;
  out << "| key | type | default | allowed | formats | description |\n";
  out << "|---|---|---|---|---|---|\n";
  for (const auto& d : sweep_key_docs()) {
    out << "| `" << d.path << "` | " << d.type << " | " << (d.default_text.empty() ? "" : "`" + d.default_text + "`")
        << " | " << d.allowed << " | " << d.formats << " | " << d.help << " |\n";
  }
  return out.str();
}

std::string sweep_keys_text() {
  std::size_t width = 0;
  for (const auto& d : sweep_key_docs()) width = std::max(width, d.path.size());
  std::ostringstream out;
  out << "Sweep file keys (besides `parameters:`; default in brackets):\n";
  for (const auto& d : sweep_key_docs()) {
    out << "  " << d.path << std::string(width - d.path.size() + 2, ' ') << d.help;
    if (!d.allowed.empty()) out << "; " << d.allowed;
    if (!d.formats.empty()) out << " (" << d.formats << ")";
    if (!d.default_text.empty()) out << " [" << d.default_text << "]";
    out << "\n";
  }
  return out.str();
}

}  // namespace eegsweep
