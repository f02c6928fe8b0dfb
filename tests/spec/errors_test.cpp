// Every problem of a bad sweep file gets one clear message: "FILE:LINE:COL: key 'a.b': problem;
// allowed: …". These files have one problem each; wandb_test.cpp has files with several.

#include <gtest/gtest.h>

#include "engine/spec/sweep_spec.h"
#include "tests/spec/spec_test_util.h"

namespace eegsweep {
namespace {

using test::minimal_head;
using test::spec_error;

// Checks that the message starts with `prefix` (location and key) and contains each of `parts`.
void expect_message(const std::string& message, const std::string& prefix,
                    const std::vector<std::string>& parts = {}) {
  EXPECT_EQ(message.rfind(prefix, 0), 0u) << "message: " << message << "\nexpected prefix: " << prefix;
  for (const auto& part : parts)
    EXPECT_NE(message.find(part), std::string::npos) << "message: " << message << "\nmissing: " << part;
}

std::string with_parameters(const std::string& parameters) {
  return std::string(minimal_head()) + "parameters:\n" + parameters;
}

TEST(SpecErrors, TypoInParameterNameSuggestsTheRightOne) {
  // Line 6, column 3: the key learning_rat.
  const std::string message = spec_error(with_parameters("  hidden_size: {value: 8}\n"
                                                         "  learning_rat: {value: 0.01}\n"));
  expect_message(message, "sweep.yaml:6:3: key 'parameters.learning_rat': unknown parameter",
                 {"did you mean 'learning_rate'?", "allowed: batch_size, dropout"});
}

TEST(SpecErrors, TypoInTopLevelKey) {
  expect_message(spec_error(std::string(minimal_head()) + "sed: 3\n"), "sweep.yaml:4:1: key 'sed': unknown key",
                 {"did you mean 'seed'?", "allowed: name, description"});
  expect_message(spec_error(std::string(minimal_head()) + "cv: {folds: 3, stratifed: true}\n"),
                 "sweep.yaml:4:16: key 'cv.stratifed': unknown key", {"did you mean 'stratified'?"});
}

TEST(SpecErrors, FarOffNameGetsNoSuggestion) {
  const std::string message = spec_error(std::string(minimal_head()) + "optimizer: adam\n");
  expect_message(message, "sweep.yaml:4:1: key 'optimizer': unknown key");
  EXPECT_EQ(message.find("did you mean"), std::string::npos) << message;
}

TEST(SpecErrors, WrongTypes) {
  expect_message(spec_error(with_parameters("  learning_rate: {value: abc}\n")),
                 "sweep.yaml:5:26: key 'parameters.learning_rate.value': expected a number, got 'abc'");
  expect_message(spec_error(with_parameters("  epochs:\n    values: [3, 4.5]\n")),
                 "sweep.yaml:6:17: key 'parameters.epochs.values[1]': expected an integer, got '4.5'");
  expect_message(spec_error(with_parameters("  epochs: {value: \"3\"}\n")),
                 "sweep.yaml:5:19: key 'parameters.epochs.value': expected an integer, got the quoted string '3'");
  expect_message(spec_error(std::string(minimal_head()) + "cv:\n  stratified: maybe\n"),
                 "sweep.yaml:5:15: key 'cv.stratified': expected true or false, got 'maybe'");
  expect_message(spec_error(std::string(minimal_head()) + "cv: [3]\n"),
                 "sweep.yaml:4:5: key 'cv': expected a mapping, got a list");
  expect_message(spec_error(with_parameters("  epochs: 3\n")),
                 "sweep.yaml:5:11: key 'parameters.epochs': expected a mapping such as {value: 64}");
}

TEST(SpecErrors, OutOfRangeNamesTheEntryAndTheRange) {
  expect_message(spec_error(with_parameters("  hidden_size:\n    values: [16, 5000]\n")),
                 "sweep.yaml:6:18: key 'parameters.hidden_size.values[1]': 5000 is out of range",
                 {"allowed: 1 .. 4096"});
  expect_message(spec_error(with_parameters("  dropout: {value: 0.99}\n")),
                 "sweep.yaml:5:20: key 'parameters.dropout.value': 0.99 is out of range",
                 {"allowed: 0 .. 0.95"});
  expect_message(spec_error(std::string(minimal_head()) + "test_split: 1\n"),
                 "sweep.yaml:4:13: key 'test_split': 1 is out of range", {"0 <= x < 1"});
  expect_message(spec_error(std::string(minimal_head()) + "cv: {folds: 1}\n"),
                 "sweep.yaml:4:13: key 'cv.folds': 1 is out of range", {"2 .. 1000"});
  expect_message(spec_error(std::string(minimal_head()) + "method: random\nrun_cap: 5\nparameters:\n"
                                                          "  learning_rate: {min: 0.0, max: 0.1}\n"),
                 "sweep.yaml:7:24: key 'parameters.learning_rate.min': 0.0 is out of range");
}

TEST(SpecErrors, UnknownChoiceSuggests) {
  expect_message(spec_error(with_parameters("  head: {values: [last, meen]}\n")),
                 "sweep.yaml:5:25: key 'parameters.head.values[1]': unknown value 'meen'",
                 {"did you mean 'mean'?", "allowed: last, flatten, mean"});
  expect_message(spec_error(std::string(minimal_head()) + "device: gpu\n"),
                 "sweep.yaml:4:9: key 'device': unknown value 'gpu'", {"allowed: auto, cpu, cuda"});
}

TEST(SpecErrors, EmptyValuesList) {
  expect_message(spec_error(with_parameters("  hidden_size: {values: []}\n")),
                 "sweep.yaml:5:25: key 'parameters.hidden_size.values': the list is empty");
}

TEST(SpecErrors, BayesAndEarlyTerminateNeedTheirSettings) {
  expect_message(spec_error(std::string(minimal_head()) + "method: bayes\n"),
                 "sweep.yaml:4:9: key 'method': bayes search needs run_cap: the number of trials to try");
  expect_message(spec_error(std::string(minimal_head()) + "early_terminate:\n  type: hyperband\n"),
                 "sweep.yaml:5:3: key 'early_terminate': hyperband needs min_iter, or max_iter and s (epochs)");
  expect_message(spec_error(std::string(minimal_head()) + "early_terminate: {type: hyperband, max_iter: 27}\n"),
                 "sweep.yaml:4:18: key 'early_terminate.s': max_iter needs s: the number of bands below it");
  expect_message(spec_error(std::string(minimal_head()) + "early_terminate: {type: hyperband, min_iter: 1, eta: 1}\n"),
                 "sweep.yaml:4:18: key 'early_terminate.eta': must be greater than 1");
}

TEST(SpecErrors, UnsupportedWandbFeatures) {
  // program and command are accepted with a warning (tests/spec/wandb_test.cpp).
  expect_message(spec_error(std::string(minimal_head()) + "method: random\nrun_cap: 3\nparameters:\n"
                                                          "  learning_rate:\n"
                                                          "    distribution: log_uniform\n"
                                                          "    min: -9\n    max: -2\n"),
                 "sweep.yaml:8:19: key 'parameters.learning_rate.distribution': log_uniform takes",
                 {"natural-log exponents", "log_uniform_values"});
  expect_message(spec_error(std::string(minimal_head()) + "method: random\nrun_cap: 3\nparameters:\n"
                                                          "  dropout: {distribution: normal, min: 0, max: 1}\n"),
                 "sweep.yaml:7:27: key 'parameters.dropout.distribution': distribution 'normal' is not supported yet");
}

TEST(SpecErrors, GridCannotSampleADistribution) {
  expect_message(spec_error(with_parameters("  dropout:\n    distribution: uniform\n    min: 0.0\n    max: 0.5\n")),
                 "sweep.yaml:6:5: key 'parameters.dropout': grid search needs value or values",
                 {"method: random"});
  // Without `distribution:` the error points at min.
  expect_message(spec_error(with_parameters("  dropout:\n    min: 0.0\n    max: 0.5\n")),
                 "sweep.yaml:6:5: key 'parameters.dropout': grid search needs value or values");
}

TEST(SpecErrors, RandomNeedsRunCap) {
  expect_message(spec_error(std::string(minimal_head()) + "method: random\n"),
                 "sweep.yaml:4:9: key 'method': random search needs run_cap");
}

TEST(SpecErrors, ConflictingAndIncompleteParameterEntries) {
  expect_message(spec_error(with_parameters("  epochs: {value: 3, values: [3, 4]}\n")),
                 "sweep.yaml:5:11: key 'parameters.epochs': give only one of value, values");
  expect_message(spec_error(with_parameters("  epochs: {}\n")),
                 "sweep.yaml:5:11: key 'parameters.epochs': give value, values");
  expect_message(spec_error(with_parameters("  epochs: {values: [3, 4], probabilities: [0.5, 0.5]}\n")),
                 "sweep.yaml:5:28: key 'parameters.epochs.probabilities': probabilities apply only to method: random");
  expect_message(spec_error(std::string(minimal_head()) + "method: random\nrun_cap: 3\nparameters:\n"
                                                          "  epochs: {values: [3, 4], probabilities: [0.5, 0.6]}\n"),
                 "sweep.yaml:7:43: key 'parameters.epochs.probabilities': the probabilities sum to 1.1");
  expect_message(spec_error(std::string(minimal_head()) + "method: random\nrun_cap: 3\nparameters:\n"
                                                          "  head: {distribution: uniform, min: 0, max: 1}\n"),
                 "sweep.yaml:7:10: key 'parameters.head': 'head' takes names", {"allowed: last, flatten, mean"});
  expect_message(spec_error(std::string(minimal_head()) + "method: random\nrun_cap: 3\nparameters:\n"
                                                          "  dropout: {min: 0.5, max: 0.1}\n"),
                 "sweep.yaml:7:28: key 'parameters.dropout.max': max (0.1) is below min (0.5)");
  expect_message(spec_error(std::string(minimal_head()) + "method: random\nrun_cap: 3\nparameters:\n"
                                                          "  dropout: {min: 0.1, max: 0.5, q: 0.1}\n"),
                 "sweep.yaml:7:33: key 'parameters.dropout.q': q applies only to distribution: q_uniform");
}

TEST(SpecErrors, MissingRequiredKeys) {
  // `name` is optional: it defaults to the file's stem (tests/spec/wandb_test.cpp).
  expect_message(spec_error("name: x\n"), "sweep.yaml:1:1: key 'data': required but missing");
  expect_message(spec_error("name: x\ndata:\n  path: a.csv\n"),
                 "sweep.yaml:3:3: key 'data.format': required but missing", {"csv, synthetic, muse"});
  expect_message(spec_error("name: x\ndata:\n  format: parquet\n"),
                 "sweep.yaml:3:11: key 'data.format': unknown value 'parquet'", {"allowed: csv, synthetic, muse"});
  expect_message(spec_error("name: x\ndata: {format: csv}\n"),
                 "sweep.yaml:2:7: key 'data.path': required but missing");
  expect_message(spec_error(""), "sweep.yaml:1:1: the sweep file is empty");
}

TEST(SpecErrors, KeysThatDoNotFitTheDataFormat) {
  expect_message(spec_error("name: x\ndata: {format: synthetic, path: a.csv}\n"),
                 "sweep.yaml:2:27: key 'data.path': does not apply to format: synthetic");
  expect_message(spec_error("name: x\ndata: {format: csv, path: a.csv, muse: {window: 2}}\n"),
                 "sweep.yaml:2:34: key 'data.muse': does not apply to format: csv");
  expect_message(spec_error("name: x\ndata: {format: muse, path: d}\ncv: {group_by: session}\n"),
                 "sweep.yaml:3:16: key 'cv.group_by': unknown value 'session'", {"recording, subject"});
  expect_message(spec_error(std::string(minimal_head()) + "cv: {group_by: recording}\n"),
                 "sweep.yaml:4:16: key 'cv.group_by': synthetic data has no groups");
}

TEST(SpecErrors, BadNamesAndMetrics) {
  expect_message(spec_error("name: a/b\ndata: {format: synthetic}\n"),
                 "sweep.yaml:1:7: key 'name': 'a/b' cannot name the results database");
  expect_message(spec_error(std::string(minimal_head()) + "metric: {name: val_acuracy}\n"),
                 "sweep.yaml:4:16: key 'metric.name': unknown metric 'val_acuracy'",
                 {"did you mean 'accuracy'?", "f1_macro"});
  expect_message(spec_error(std::string(minimal_head()) + "metric: {name: loss, goal: lower}\n"),
                 "sweep.yaml:4:28: key 'metric.goal': unknown value 'lower'", {"maximize, minimize"});
}

TEST(SpecErrors, YamlSyntaxErrorHasLineAndColumn) {
  const std::string message = spec_error("name: x\nparameters:\n  epochs: {values: [1, 2}\n");
  expect_message(message, "sweep.yaml:", {"YAML syntax error"});
  // The position is 1-based and inside the file (yaml-cpp counts from 0).
  EXPECT_EQ(message.rfind("sweep.yaml:0", 0), std::string::npos) << message;
  expect_message(spec_error("name: [x\n"), "sweep.yaml:2:1: YAML syntax error");
}

TEST(SpecErrors, DuplicateKey) {
  expect_message(spec_error(std::string(minimal_head()) + "seed: 1\nseed: 2\n"),
                 "sweep.yaml:5:1: key 'seed': duplicate key (first given at sweep.yaml:4:1)");
}

TEST(SpecErrors, SeedBeyond64BitsIsAnErrorNotZero) {
  expect_message(spec_error(std::string(minimal_head()) + "seed: 99999999999999999999999\n"),
                 "sweep.yaml:4:7: key 'seed'", {"non-negative integer"});
  expect_message(spec_error(std::string(minimal_head()) + "seed: -1\n"), "sweep.yaml:4:7: key 'seed'");
}

TEST(SpecErrors, BadOverrides) {
  const std::string head = minimal_head();
  expect_message(spec_error(head, {"cv.folds"}), "--set 'cv.folds': expected KEY.PATH=VALUE");
  expect_message(spec_error(head, {"cv..folds=3"}), "--set 'cv..folds=3': expected KEY.PATH=VALUE");
  expect_message(spec_error(head, {"cv.folds=1"}), "--set cv.folds: key 'cv.folds': 1 is out of range");
  expect_message(spec_error(head, {"cv.fodls=3"}), "--set cv.fodls: key 'cv.fodls': unknown key",
                 {"did you mean 'folds'?"});
  expect_message(spec_error(head, {"parameters.hidden_size.values=[16, 32"}),
                 "--set parameters.hidden_size.values: YAML syntax error");
  expect_message(spec_error(head, {"name.first=x"}),
                 "--set name.first: key 'name': cannot set a key inside it: it is a scalar");
  expect_message(spec_error(head, {"parameters.epochs.value=abc"}),
                 "--set parameters.epochs.value: key 'parameters.epochs.value': expected an integer, got 'abc'");
}

}  // namespace
}  // namespace eegsweep
