// A sweep file → SweepSpec: W&B-style keys, our keys, defaults, path resolution.

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/spec/sweep_spec.h"
#include "tests/spec/spec_test_util.h"

namespace eegsweep {
namespace {

using test::minimal_head;
using test::TempDir;

const char* full_sweep = R"(name: emotions-gru
description: the classic Keras GRU grid
method: random
metric:
  name: val_f1_macro
  goal: maximize
run_cap: 12
parameters:
  hidden_size:
    values: [32, 64, 128]
    probabilities: [0.25, 0.5, 0.25]
  learning_rate:
    distribution: log_uniform_values
    min: 0.0001
    max: 0.01
  dropout:
    min: 0.0
    max: 0.5
  num_layers:
    min: 1
    max: 3
  batch_size:
    distribution: q_uniform
    min: 16
    max: 128
    q: 16
  head:
    value: flatten
  epochs:
    value: 30
data:
  format: csv
  path: ../data/emotions.csv
  label: label
  group: subject
  classes: [NEGATIVE, NEUTRAL, POSITIVE]
test_split: 0.25
cv:
  folds: 4
  stratified: false
  group_by: subject
preprocess:
  standardize: false
seed: 42
device: cpu
resources:
  max_concurrent: 3
results: out/emotions.db
)";

TEST(ParseSweep, AcceptsAWandbStyleFileWithOurKeys) {
  TempDir dir;
  const std::string file = dir.write("sweeps/emotions.yaml", full_sweep);
  const SweepSpec spec = load_sweep_file(file);

  EXPECT_EQ(spec.name, "emotions-gru");
  EXPECT_EQ(spec.description, "the classic Keras GRU grid");
  EXPECT_EQ(spec.method, "random");
  EXPECT_EQ(spec.metric.name, "val_f1_macro");
  EXPECT_TRUE(spec.metric.maximize);
  EXPECT_EQ(spec.run_cap, 12);

  ASSERT_EQ(spec.parameters.size(), 7u);
  const ParameterSpace& hidden = spec.parameters.at("hidden_size");
  EXPECT_EQ(hidden.kind, ParameterSpace::Kind::values);
  ASSERT_EQ(hidden.values.size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>(hidden.values[1]), 64);
  EXPECT_EQ(hidden.probabilities, (std::vector<double>{0.25, 0.5, 0.25}));
  const ParameterSpace& lr = spec.parameters.at("learning_rate");
  EXPECT_EQ(lr.kind, ParameterSpace::Kind::log_uniform_values);
  EXPECT_DOUBLE_EQ(lr.min, 1e-4);
  EXPECT_DOUBLE_EQ(lr.max, 1e-2);
  EXPECT_EQ(spec.parameters.at("dropout").kind, ParameterSpace::Kind::uniform);  // inferred
  EXPECT_EQ(spec.parameters.at("num_layers").kind, ParameterSpace::Kind::int_uniform);  // inferred
  const ParameterSpace& batch = spec.parameters.at("batch_size");
  EXPECT_EQ(batch.kind, ParameterSpace::Kind::q_uniform);
  EXPECT_DOUBLE_EQ(batch.q, 16);
  EXPECT_EQ(spec.parameters.at("head").kind, ParameterSpace::Kind::constant);
  EXPECT_EQ(std::get<std::string>(spec.parameters.at("head").values.at(0)), "flatten");

  EXPECT_EQ(spec.data.format, "csv");
  const auto expected_path =
      (std::filesystem::absolute(dir.path()) / "data" / "emotions.csv").lexically_normal();
  EXPECT_EQ(spec.data.path, expected_path.string());
  EXPECT_EQ(spec.data.label_column, "label");
  EXPECT_EQ(spec.data.group_column, "subject");
  EXPECT_EQ(spec.data.classes, (std::vector<std::string>{"NEGATIVE", "NEUTRAL", "POSITIVE"}));
  EXPECT_DOUBLE_EQ(spec.test_split, 0.25);
  EXPECT_EQ(spec.cv.folds, 4);
  EXPECT_FALSE(spec.cv.stratified);
  EXPECT_EQ(spec.cv.group_by, "subject");
  EXPECT_FALSE(spec.standardize);
  EXPECT_EQ(spec.seed, 42u);
  EXPECT_EQ(spec.device, "cpu");
  EXPECT_EQ(spec.max_concurrent, 3);
  EXPECT_EQ(spec.results_path, "out/emotions.db");  // kept as given: the scheduler resolves it
  EXPECT_EQ(spec.source_path, file);
  EXPECT_EQ(spec.source_text, full_sweep);
}

TEST(ParseSweep, FillsDefaultsForAMinimalFile) {
  const SweepSpec spec = parse_sweep(minimal_head(), "sweep.yaml");
  const SweepSpec defaults;
  EXPECT_EQ(spec.method, "grid");
  EXPECT_EQ(spec.metric.name, "accuracy");
  EXPECT_TRUE(spec.metric.maximize);
  EXPECT_EQ(spec.run_cap, 0);
  EXPECT_TRUE(spec.parameters.empty());
  EXPECT_EQ(spec.data.format, "synthetic");
  EXPECT_TRUE(spec.data.path.empty());
  EXPECT_EQ(spec.data.synthetic.rows, SyntheticSpec{}.rows);
  EXPECT_DOUBLE_EQ(spec.test_split, defaults.test_split);
  EXPECT_EQ(spec.cv.folds, defaults.cv.folds);
  EXPECT_EQ(spec.cv.stratified, defaults.cv.stratified);
  EXPECT_EQ(spec.standardize, defaults.standardize);
  EXPECT_EQ(spec.seed, defaults.seed);
  EXPECT_EQ(spec.device, "auto");
  EXPECT_EQ(spec.max_concurrent, 0);
  EXPECT_EQ(spec.results_path, "results/t.db");
}

TEST(ParseSweep, GoalDefaultsToMinimizeOnlyForLoss) {
  const std::string head = minimal_head();
  EXPECT_FALSE(parse_sweep(head + "metric: {name: loss}\n", "s.yaml").metric.maximize);
  EXPECT_FALSE(parse_sweep(head + "metric: {name: val_loss}\n", "s.yaml").metric.maximize);
  EXPECT_TRUE(parse_sweep(head + "metric: {name: recall_macro}\n", "s.yaml").metric.maximize);
  EXPECT_FALSE(
      parse_sweep(head + "metric: {name: accuracy, goal: minimize}\n", "s.yaml").metric.maximize);
  EXPECT_TRUE(parse_sweep(head + "metric: {name: loss, goal: maximize}\n", "s.yaml").metric.maximize);
}

TEST(ParseSweep, ReadsSyntheticAndMuseSettings) {
  const SweepSpec synthetic = parse_sweep(std::string(minimal_head()) +
                                              "  synthetic: {rows: 90, features: 12, classes: 3, "
                                              "noise: 0.5, groups: 6, seed: 9}\n"
                                              "cv: {folds: 3, group_by: recording}\n",
                                          "s.yaml");
  EXPECT_EQ(synthetic.data.synthetic.rows, 90);
  EXPECT_EQ(synthetic.data.synthetic.features, 12);
  EXPECT_EQ(synthetic.data.synthetic.classes, 3);
  EXPECT_DOUBLE_EQ(synthetic.data.synthetic.noise, 0.5);
  EXPECT_EQ(synthetic.data.synthetic.groups, 6);
  EXPECT_EQ(synthetic.data.synthetic.seed, 9u);

  TempDir dir;
  const std::string file = dir.write("m.yaml", R"(name: mental-state
data:
  format: muse
  path: recordings
  classes: [relaxed, neutral, concentrating]
  muse:
    channels: [TP9, AF7]
    filename_pattern: "{subject}_{class}_{session}.csv"
    filter: no
    bandpass: [0.5, 40]
    bandpass_order: 2
    notch: 60
    window: 2
    hop: 1
    resample: 100
cv: {group_by: subject}
)");
  const SweepSpec muse = load_sweep_file(file);
  const MuseOptions& m = muse.data.muse;
  EXPECT_EQ(muse.data.path, (std::filesystem::absolute(dir.path()) / "recordings").lexically_normal().string());
  EXPECT_EQ(m.channels, (std::vector<std::string>{"TP9", "AF7"}));
  EXPECT_EQ(m.filename_pattern, "{subject}_{class}_{session}.csv");
  EXPECT_EQ(m.classes, (std::vector<std::string>{"relaxed", "neutral", "concentrating"}));
  EXPECT_FALSE(m.filter);
  EXPECT_DOUBLE_EQ(m.bandpass_low_hz, 0.5);
  EXPECT_DOUBLE_EQ(m.bandpass_high_hz, 40);
  EXPECT_EQ(m.bandpass_order, 2);
  EXPECT_DOUBLE_EQ(m.notch_hz, 60);
  EXPECT_DOUBLE_EQ(m.window_seconds, 2);
  EXPECT_DOUBLE_EQ(m.hop_seconds, 1);
  EXPECT_EQ(m.resample_samples, 100);
  EXPECT_EQ(muse.cv.group_by, "subject");
}

TEST(ParseSweep, CsvGroupByNamesTheGroupColumn) {
  const SweepSpec spec = parse_sweep(
      "name: g\ndata: {format: csv, path: /x/t.csv}\ncv: {group_by: session}\n", "s.yaml");
  EXPECT_EQ(spec.data.group_column, "session");
  EXPECT_EQ(spec.cv.group_by, "session");
  EXPECT_EQ(spec.data.path, "/x/t.csv");  // absolute paths are kept
}

TEST(ParseSweep, ResolvesDataPathRelativeToTheSweepFile) {
  TempDir dir;
  const std::string file =
      dir.write("a/b/s.yaml", "name: r\ndata: {format: csv, path: ./../data//t.csv}\n");
  const SweepSpec spec = load_sweep_file(file);
  EXPECT_EQ(spec.data.path,
            (std::filesystem::absolute(dir.path()) / "a" / "data" / "t.csv").lexically_normal().string());
}

TEST(ParseSweep, AcceptsWandbCategoricalAndConstantDistributions) {
  const SweepSpec spec = parse_sweep(std::string(minimal_head()) +
                                         "parameters:\n"
                                         "  head: {distribution: categorical, values: [last, mean]}\n"
                                         "  epochs: {distribution: constant, value: 4}\n",
                                     "s.yaml");
  EXPECT_EQ(spec.parameters.at("head").kind, ParameterSpace::Kind::values);
  EXPECT_EQ(spec.parameters.at("head").values.size(), 2u);
  EXPECT_EQ(spec.parameters.at("epochs").kind, ParameterSpace::Kind::constant);
}

TEST(ParseSweep, FloatParameterTakesIntegerText) {
  const SweepSpec spec = parse_sweep(std::string(minimal_head()) +
                                         "parameters:\n  learning_rate: {values: [1, 1e-3]}\n",
                                     "s.yaml");
  const auto& values = spec.parameters.at("learning_rate").values;
  EXPECT_DOUBLE_EQ(std::get<double>(values.at(0)), 1.0);
  EXPECT_DOUBLE_EQ(std::get<double>(values.at(1)), 1e-3);
}

TEST(LoadSweepFile, NamesAMissingFile) {
  try {
    load_sweep_file("/nonexistent/dir/sweep.yaml");
    FAIL() << "expected SpecError";
  } catch (const SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/sweep.yaml"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace eegsweep
