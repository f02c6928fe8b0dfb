#pragma once
// A sweep file (YAML, Weights & Biases compatible keys plus our own) as plain structs. No yaml-cpp
// type leaves engine/spec.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/data/muse/muse.h"
#include "engine/data/synthetic.h"
#include "engine/spec/parameters.h"

namespace eegsweep {

// One finding about a sweep file. An error stops it; a warning (a W&B key that means nothing
// here) and a note (how a name was understood, a default taken) are printed and the sweep goes on.
struct SpecMessage {
  enum class Severity { error, warning, note };
  Severity severity = Severity::error;
  std::string origin;        // the sweep file, "--set a.b", or empty when `text` says it all
  int line = 0, column = 0;  // 1-based; 0 = no position (the whole file, a --set)
  std::string text;          // "key 'a.b': problem; allowed: …", then any lines to paste

  std::string str() const;  // "FILE:LINE:COL: text"
};
const char* severity_name(SpecMessage::Severity severity);  // "error", "warning", "note"
// "6 problems (5 errors, 1 warning)"; notes are not problems.
std::string count_problems(const std::vector<SpecMessage>& messages);
// File order: whole-file messages, then by line and column, then the --set ones as given.
void sort_messages(std::vector<SpecMessage>& messages);

// Every error found in a sweep file (and its --set overrides), with the warnings and notes found
// alongside. what(): each error's str() on its own line ("FILE:LINE:COL: key 'a.b': problem;
// allowed: …"), then the count when there are several.
class SpecError : public std::runtime_error {
 public:
  explicit SpecError(const std::string& message);  // one error; `message` is its whole text
  explicit SpecError(std::vector<SpecMessage> messages);
  const std::vector<SpecMessage>& messages() const { return messages_; }

 private:
  std::vector<SpecMessage> messages_;
};

// One entry of `parameters:` after type inference.
struct ParameterSpace {
  enum class Kind { constant, values, uniform, int_uniform, log_uniform_values, q_uniform };
  Kind kind = Kind::constant;
  std::vector<ParamValue> values;  // constant: one value; values: the list
  double min = 0, max = 0, q = 1;  // distributions
  std::vector<double> probabilities;  // optional, with `values` for random search
};

struct MetricSpec {
  std::string name = "accuracy";  // a metrics.h name; "val_" prefix accepted
  bool maximize = true;
};

struct DataSpec {
  std::string format = "csv";  // csv | synthetic | muse
  std::string path;            // resolved against the sweep file's directory
  std::string label_column = "label";
  std::string group_column;    // csv: optional group column
  std::vector<std::string> classes;
  SyntheticSpec synthetic;     // format: synthetic
  MuseOptions muse;            // format: muse
};

struct CvSpec {
  int folds = 5;
  bool stratified = true;
  std::string group_by;  // empty = random (stratified) folds; csv: the group column; muse:
                         // "recording" or "subject"
  std::string method = "kfold";  // kfold | leave_one_group_out (one fold per group of group_by)
  // inner: each fold's epoch is chosen on an inner split of its training rows, and the fold's
  // validation rows score that epoch once; fold: on the fold's own validation rows (optimistic).
  std::string epoch_selection = "inner";
};

// test: {groups: [...]}: the held-out test set is these values of the group column (in place of
// test_split's seeded draw).
struct TestSpec {
  std::vector<std::string> groups;
  std::string groups_origin;  // "FILE:LINE:COL" of test.groups, for errors found in the data
  // test: {path: ...}: separate data (same format and featurization as data.path) is the test set.
  std::string path;
};

// `early_terminate:` (issue 12): W&B's hyperband and the fold-aware "forgiving" rule.
struct EarlyTerminateSpec {
  std::string type;  // empty (none) | hyperband | cv_forgiving
  int min_iter = 0, max_iter = 0, s = 0;
  double eta = 3;
  bool strict = true;      // W&B's code default (its docs say false)
  bool forgiving = false;  // hyperband: also the fold rule (cv_forgiving always applies it)
};

struct SweepSpec {
  std::string name;  // default: the sweep file's stem
  std::string description;
  std::string method = "grid";  // grid | random | bayes | tpe (bayes is TPE)
  MetricSpec metric;
  int run_cap = 0;  // 0 = no cap (random search requires one)
  std::map<std::string, ParameterSpace> parameters;
  EarlyTerminateSpec early_terminate;

  DataSpec data;
  double test_split = 0.2;
  TestSpec test;  // when it names groups or a path, test_split is not used
  CvSpec cv;
  bool standardize = true;  // preprocess.standardize
  std::uint64_t seed = 0;
  std::string device = "auto";  // auto | cpu | cuda
  int max_concurrent = 0;       // 0 = the backend's choice (one per core on the CPU)
  std::string results_path;     // default results/<name>.db relative to the working directory

  std::string source_path;              // the YAML file
  std::string source_text;              // its text, stored with the sweep
  std::vector<std::string> overrides;   // --set key.path=value, as given
  std::vector<SpecMessage> messages;    // warnings and notes from reading it, in file order

  // Hash of what makes trial results comparable (data, splits, cv, preprocessing, seed, metric):
  // a rerun whose identity hash matches resumes the stored sweep.
  std::string identity_hash() const;
};

struct Trial {
  int number = 0;  // 1-based, in expansion order
  TrialParams params;
  std::map<std::string, ParamValue> values;  // every parameter, by name (swept and defaults)
  std::string params_json;                   // canonical JSON of `values` (sorted keys)
  std::string params_hash;                   // hash of params_json: the trial's identity
};

// Bounds on a sweep document: far above any real sweep file, far below what would exhaust memory
// (an alias "billion laughs" expands a few hundred bytes into billions of nodes).
constexpr std::uint64_t kMaxSweepFileBytes = 1 << 20;
constexpr std::size_t kMaxSweepNodes = 100000;  // nodes after alias expansion
constexpr int kMaxSweepDepth = 64;              // nesting levels

// Parses and validates; throws SpecError holding every error of the file and the overrides.
// `overrides` are "a.b=value" strings applied before validation, as if they were in the file
// (errors name "--set a.b"). The file must be a regular file of at most kMaxSweepFileBytes, in
// UTF-8, holding one YAML document.
SweepSpec load_sweep_file(const std::string& path, const std::vector<std::string>& overrides = {});
SweepSpec parse_sweep(const std::string& yaml_text, const std::string& path_for_errors,
                      const std::vector<std::string>& overrides = {});

// grid: the Cartesian product in the order parameters are sorted by name, last varying fastest;
// random: run_cap draws from a stream derived from the sweep seed. Trials with identical
// parameters are listed once.
std::vector<Trial> expand_trials(const SweepSpec& spec);

}  // namespace eegsweep
