// --set key.path=value: applied to the document before validation, recorded in the spec.

#include <gtest/gtest.h>

#include <filesystem>

#include "engine/spec/sweep_spec.h"
#include "tests/spec/spec_test_util.h"

namespace eegsweep {
namespace {

using test::TempDir;

const char* base = R"(name: base
data:
  format: csv
  path: data/t.csv
parameters:
  hidden_size:
    value: 64
  epochs:
    values: [10, 20]
seed: 1
)";

TEST(Overrides, ReplaceScalarsAndParameterSpaces) {
  const std::vector<std::string> overrides = {"seed=7", "cv.folds=3", "parameters.epochs.value=3",
                                              "parameters.hidden_size.values=[16,32]",
                                              "parameters.dropout.value=0.25"};
  const SweepSpec spec = parse_sweep(base, "sweep.yaml", overrides);
  EXPECT_EQ(spec.seed, 7u);
  EXPECT_EQ(spec.cv.folds, 3);
  const ParameterSpace& epochs = spec.parameters.at("epochs");
  EXPECT_EQ(epochs.kind, ParameterSpace::Kind::constant);
  EXPECT_EQ(epochs.values, (std::vector<ParamValue>{std::int64_t{3}}));
  const ParameterSpace& hidden = spec.parameters.at("hidden_size");
  EXPECT_EQ(hidden.kind, ParameterSpace::Kind::values);
  EXPECT_EQ(hidden.values, (std::vector<ParamValue>{std::int64_t{16}, std::int64_t{32}}));
  EXPECT_EQ(std::get<double>(spec.parameters.at("dropout").values.at(0)), 0.25);  // a new entry
  EXPECT_EQ(spec.overrides, overrides);
  EXPECT_EQ(spec.source_text, base);  // the file's text, unchanged
}

TEST(Overrides, LaterOverrideWins) {
  const SweepSpec spec = parse_sweep(base, "sweep.yaml", {"seed=7", "seed=8"});
  EXPECT_EQ(spec.seed, 8u);
}

TEST(Overrides, DataPathIsRelativeToTheWorkingDirectory) {
  TempDir dir;
  const std::string file = dir.write("sweeps/s.yaml", base);
  const SweepSpec from_file = load_sweep_file(file);
  EXPECT_EQ(from_file.data.path,
            (std::filesystem::absolute(dir.path()) / "sweeps" / "data" / "t.csv").lexically_normal().string());
  const SweepSpec overridden = load_sweep_file(file, {"data.path=other/t.csv"});
  EXPECT_EQ(overridden.data.path,
            (std::filesystem::current_path() / "other" / "t.csv").lexically_normal().string());
}

TEST(Overrides, CanSwitchTheDataFormatAndBuildNestedKeys) {
  const SweepSpec spec =
      parse_sweep(base, "sweep.yaml",
                  {"data={format: synthetic}", "data.synthetic.rows=120", "preprocess.standardize=false"});
  EXPECT_EQ(spec.data.format, "synthetic");
  EXPECT_EQ(spec.data.synthetic.rows, 120);
  EXPECT_FALSE(spec.standardize);
}

TEST(Overrides, CanTurnAGridIntoARandomSearch) {
  const SweepSpec spec = parse_sweep(
      base, "sweep.yaml",
      {"method=random", "run_cap=4", "parameters.learning_rate.distribution=log_uniform_values",
       "parameters.learning_rate.min=1e-4", "parameters.learning_rate.max=1e-2"});
  EXPECT_EQ(spec.method, "random");
  EXPECT_EQ(spec.parameters.at("learning_rate").kind, ParameterSpace::Kind::log_uniform_values);
  EXPECT_EQ(expand_trials(spec).size(), 4u);
}

TEST(Overrides, EmptyGroupByMeansUngroupedFolds) {
  const char* grouped = "name: m\ndata: {format: muse, path: d}\ncv: {folds: 3, group_by: recording}\n";
  EXPECT_EQ(parse_sweep(grouped, "m.yaml").cv.group_by, "recording");
  const SweepSpec spec = parse_sweep(grouped, "m.yaml", {"cv.group_by="});
  EXPECT_TRUE(spec.cv.group_by.empty());
  EXPECT_EQ(spec.cv.folds, 3);
}

}  // namespace
}  // namespace eegsweep
