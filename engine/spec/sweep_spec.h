#pragma once
// A sweep file (YAML, Weights & Biases compatible keys plus our own) as plain structs. No yaml-cpp
// type leaves engine/spec.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "engine/data/muse.h"
#include "engine/data/synthetic.h"

namespace eegsweep {

// A sweep-file error. what() reads "FILE:LINE:COL: key 'a.b': problem; allowed: …".
class SpecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using ParamValue = std::variant<std::int64_t, double, std::string>;
std::string to_string(const ParamValue& value);  // ints as "64", doubles round-trip ("0.001")

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
};

struct SweepSpec {
  std::string name;
  std::string description;
  std::string method = "grid";  // grid | random
  MetricSpec metric;
  int run_cap = 0;  // 0 = no cap (random search requires one)
  std::map<std::string, ParameterSpace> parameters;

  DataSpec data;
  double test_split = 0.2;
  CvSpec cv;
  bool standardize = true;  // preprocess.standardize
  std::uint64_t seed = 0;
  std::string device = "auto";  // auto | cpu | cuda
  int max_concurrent = 0;       // 0 = the backend's choice (one per core on the CPU)
  std::string results_path;     // default results/<name>.db relative to the working directory

  std::string source_path;              // the YAML file
  std::string source_text;              // its text, stored with the sweep
  std::vector<std::string> overrides;   // --set key.path=value, as given

  // Hash of what makes trial results comparable (data, splits, cv, preprocessing, seed, metric):
  // a rerun whose identity hash matches resumes the stored sweep.
  std::string identity_hash() const;
};

// The fully resolved parameters of one trial, defaults filled in from the parameter table.
struct TrialParams {
  int hidden_size = 64;
  int num_layers = 1;
  int timesteps = 0;  // 0 = every feature its own step (timesteps = feature count)
  std::string head = "last";
  double dropout = 0.0;
  double learning_rate = 1e-3;
  int batch_size = 32;
  int epochs = 20;
  int patience = 5;
  double weight_decay = 0.0;
  std::string precision = "fp32";  // fp32 | tf32 (GPU)
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

// Parses and validates; throws SpecError. `overrides` are "a.b=value" strings applied before
// validation, as if they were in the file (errors name "--set a.b"). The file must be a regular
// file of at most kMaxSweepFileBytes, in UTF-8, holding one YAML document.
SweepSpec load_sweep_file(const std::string& path, const std::vector<std::string>& overrides = {});
SweepSpec parse_sweep(const std::string& yaml_text, const std::string& path_for_errors,
                      const std::vector<std::string>& overrides = {});

// grid: the Cartesian product in the order parameters are sorted by name, last varying fastest;
// random: run_cap draws from a stream derived from the sweep seed. Trials with identical
// parameters are listed once.
std::vector<Trial> expand_trials(const SweepSpec& spec);

}  // namespace eegsweep
