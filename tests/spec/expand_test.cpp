// Parameter space → trials: grid order, random draws, de-duplication, canonical JSON and hashes.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/spec/parameters.h"
#include "engine/spec/sweep_spec.h"
#include "tests/spec/spec_test_util.h"

namespace eegsweep {
namespace {

using test::minimal_head;

SweepSpec sweep(const std::string& rest) {
  return parse_sweep(std::string(minimal_head()) + rest, "sweep.yaml");
}

std::int64_t int_of(const Trial& t, const std::string& name) { return std::get<std::int64_t>(t.values.at(name)); }
double double_of(const Trial& t, const std::string& name) { return std::get<double>(t.values.at(name)); }
std::string string_of(const Trial& t, const std::string& name) { return std::get<std::string>(t.values.at(name)); }

TEST(ExpandGrid, CartesianProductInNameOrderLastFastest) {
  // Written out of name order on purpose: expansion sorts by name (head, hidden_size,
  // learning_rate), learning_rate varying fastest.
  const auto trials = expand_trials(sweep("parameters:\n"
                                          "  learning_rate: {values: [0.01, 0.001]}\n"
                                          "  hidden_size: {values: [16, 32]}\n"
                                          "  head: {values: [last, mean]}\n"
                                          "  epochs: {value: 3}\n"));
  ASSERT_EQ(trials.size(), 8u);
  std::size_t i = 0;
  for (const std::string head : {"last", "mean"})
    for (const std::int64_t hidden : {16, 32})
      for (const double lr : {0.01, 0.001}) {
        const Trial& t = trials[i++];
        EXPECT_EQ(t.number, static_cast<int>(i));
        EXPECT_EQ(string_of(t, "head"), head);
        EXPECT_EQ(int_of(t, "hidden_size"), hidden);
        EXPECT_EQ(double_of(t, "learning_rate"), lr);
        EXPECT_EQ(int_of(t, "epochs"), 3);
        EXPECT_EQ(t.params.head, head);
        EXPECT_EQ(t.params.hidden_size, hidden);
        EXPECT_EQ(t.params.learning_rate, lr);
        EXPECT_EQ(t.params.epochs, 3);
      }
}

TEST(ExpandGrid, RunCapTakesTheFirstTrials) {
  const auto all = expand_trials(sweep("parameters:\n  hidden_size: {values: [8, 16, 32]}\n"
                                       "  num_layers: {values: [1, 2]}\n"));
  const auto capped = expand_trials(sweep("run_cap: 4\nparameters:\n  hidden_size: {values: [8, 16, 32]}\n"
                                          "  num_layers: {values: [1, 2]}\n"));
  ASSERT_EQ(all.size(), 6u);
  ASSERT_EQ(capped.size(), 4u);
  for (std::size_t i = 0; i < capped.size(); ++i) EXPECT_EQ(capped[i].params_json, all[i].params_json);
}

TEST(ExpandGrid, IdenticalTrialsAreListedOnce) {
  // 0.001 and 1e-3 are the same number; 16 twice is the same value.
  const auto trials = expand_trials(sweep("parameters:\n  hidden_size: {values: [16, 16, 32]}\n"
                                          "  learning_rate: {values: [0.001, 1e-3]}\n"));
  ASSERT_EQ(trials.size(), 2u);
  EXPECT_EQ(int_of(trials[0], "hidden_size"), 16);
  EXPECT_EQ(int_of(trials[1], "hidden_size"), 32);
  EXPECT_EQ(trials[1].number, 2);
}

TEST(ExpandTrials, EveryTrialHasEveryParameterWithTableDefaults) {
  const auto trials = expand_trials(sweep(""));
  ASSERT_EQ(trials.size(), 1u);
  const Trial& t = trials[0];
  EXPECT_EQ(t.values.size(), parameter_table().size());
  for (const auto& info : parameter_table()) {
    ASSERT_EQ(t.values.count(info.name), 1u) << info.name;
    EXPECT_EQ(to_string(t.values.at(info.name)), info.default_text()) << info.name;
  }
  // The declared defaults reach the typed parameters (the README documents these values).
  EXPECT_EQ(t.params.hidden_size, 64);
  EXPECT_EQ(t.params.num_layers, 1);
  EXPECT_EQ(t.params.timesteps, 0);
  EXPECT_EQ(t.params.head, "last");
  EXPECT_EQ(t.params.dropout, 0.0);
  EXPECT_EQ(t.params.learning_rate, 0.001);
  EXPECT_EQ(t.params.batch_size, 32);
  EXPECT_EQ(t.params.epochs, 20);
  EXPECT_EQ(t.params.patience, 5);
  EXPECT_EQ(t.params.weight_decay, 0.0);
  EXPECT_EQ(t.params.precision, "fp32");
}

TEST(ExpandTrials, ParamsJsonIsCanonicalAndHashed) {
  const auto trials = expand_trials(sweep("parameters:\n  hidden_size: {values: [16, 32]}\n"
                                          "  learning_rate: {value: 0.001}\n  dropout: {value: 0}\n"));
  ASSERT_EQ(trials.size(), 2u);
  const Trial& t = trials[0];
  const auto json = nlohmann::json::parse(t.params_json);
  EXPECT_EQ(json.dump(), t.params_json);  // compact, keys sorted
  std::vector<std::string> keys;
  for (auto it = json.begin(); it != json.end(); ++it) keys.push_back(it.key());
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_TRUE(json["hidden_size"].is_number_integer());
  EXPECT_TRUE(json["learning_rate"].is_number_float());
  EXPECT_TRUE(json["dropout"].is_number_float());  // a float parameter stays a float even as 0
  EXPECT_NE(t.params_json.find("\"learning_rate\":0.001"), std::string::npos) << t.params_json;
  EXPECT_NE(t.params_json.find("\"head\":\"last\""), std::string::npos) << t.params_json;

  EXPECT_EQ(t.params_hash.size(), 16u);
  EXPECT_EQ(t.params_hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(trials[0].params_hash, trials[1].params_hash);
  // Same parameters, however written and in whatever sweep: same identity.
  const auto again = expand_trials(parse_sweep("name: other\nseed: 5\ndata: {format: synthetic}\n"
                                               "parameters:\n  dropout: {values: [0.0]}\n"
                                               "  learning_rate: {values: [1e-3]}\n  hidden_size: {value: 16}\n",
                                               "b.yaml"));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].params_json, t.params_json);
  EXPECT_EQ(again[0].params_hash, t.params_hash);
}

SweepSpec random_sweep(int run_cap, std::uint64_t seed, const std::string& parameters) {
  return sweep("method: random\nrun_cap: " + std::to_string(run_cap) + "\nseed: " + std::to_string(seed) +
               "\nparameters:\n" + parameters);
}

const char* random_parameters =
    "  learning_rate: {distribution: log_uniform_values, min: 0.00001, max: 0.1}\n"
    "  dropout: {min: 0.1, max: 0.5}\n"
    "  num_layers: {min: 1, max: 4}\n"
    "  batch_size: {distribution: q_uniform, min: 10, max: 100, q: 20}\n"
    "  weight_decay: {distribution: q_uniform, min: 0, max: 0.5, q: 0.1}\n"
    "  hidden_size: {distribution: log_uniform_values, min: 8, max: 512}\n";

TEST(ExpandRandom, ReproducibleAndWithinBounds) {
  const auto a = expand_trials(random_sweep(400, 11, random_parameters));
  const auto b = expand_trials(random_sweep(400, 11, random_parameters));
  const auto c = expand_trials(random_sweep(400, 12, random_parameters));
  ASSERT_EQ(a.size(), 400u);  // continuous draws do not repeat
  ASSERT_EQ(b.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].params_json, b[i].params_json);
  EXPECT_NE(a[0].params_json, c[0].params_json);

  std::set<std::int64_t> layers, batches;
  std::set<double> decays;
  int below_log_midpoint = 0;
  for (const Trial& t : a) {
    const double lr = double_of(t, "learning_rate");
    EXPECT_GE(lr, 1e-5);
    EXPECT_LE(lr, 0.1);
    if (lr < 1e-3) ++below_log_midpoint;
    EXPECT_GE(double_of(t, "dropout"), 0.1);
    EXPECT_LE(double_of(t, "dropout"), 0.5);
    layers.insert(int_of(t, "num_layers"));
    batches.insert(int_of(t, "batch_size"));
    decays.insert(double_of(t, "weight_decay"));
    EXPECT_GE(int_of(t, "hidden_size"), 8);
    EXPECT_LE(int_of(t, "hidden_size"), 512);
    EXPECT_EQ(t.params.learning_rate, lr);
  }
  EXPECT_EQ(layers, (std::set<std::int64_t>{1, 2, 3, 4}));  // int_uniform includes both ends
  EXPECT_EQ(batches, (std::set<std::int64_t>{20, 40, 60, 80, 100}));  // multiples of q inside
  EXPECT_EQ(decays, (std::set<double>{0.0, 0.1, 0.2, 0.3, 0.4, 0.5}));  // exact decimal values
  // Log-uniform over [1e-5, 1e-1]: half the draws fall below the log-midpoint 1e-3 (a linear
  // uniform would put only 1% there).
  EXPECT_GT(below_log_midpoint, 160);
  EXPECT_LT(below_log_midpoint, 240);
}

TEST(ExpandRandom, ProbabilitiesWeightTheValues) {
  const auto trials = expand_trials(random_sweep(
      500, 3, "  head: {values: [last, mean], probabilities: [0.9, 0.1]}\n  dropout: {min: 0.0, max: 0.5}\n"));
  ASSERT_EQ(trials.size(), 500u);
  int last = 0;
  for (const Trial& t : trials) last += string_of(t, "head") == "last";
  EXPECT_GT(last, 410);
  EXPECT_LT(last, 490);
}

TEST(ExpandRandom, IdenticalDrawsAreListedOnce) {
  const auto trials = expand_trials(random_sweep(50, 1, "  head: {values: [last, mean, flatten]}\n"));
  ASSERT_EQ(trials.size(), 3u);
  for (std::size_t i = 0; i < trials.size(); ++i) EXPECT_EQ(trials[i].number, static_cast<int>(i) + 1);
}

TEST(ExpandRandom, AddingAParameterKeepsTheOtherDraws) {
  const auto one = expand_trials(random_sweep(20, 4, "  dropout: {min: 0.0, max: 0.5}\n"));
  const auto two = expand_trials(
      random_sweep(20, 4, "  dropout: {min: 0.0, max: 0.5}\n  learning_rate: {min: 0.001, max: 0.1}\n"));
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i)
    EXPECT_EQ(double_of(one[i], "dropout"), double_of(two[i], "dropout"));
}

TEST(ExpandTrials, RejectsSpecsBuiltInCodeThatCannotExpand) {
  SweepSpec spec = sweep("");
  ParameterSpace space;
  space.kind = ParameterSpace::Kind::uniform;
  space.min = 0.1;
  space.max = 0.2;
  spec.parameters["dropout"] = space;
  EXPECT_THROW(expand_trials(spec), SpecError);  // grid with a distribution
  spec.method = "random";
  EXPECT_THROW(expand_trials(spec), SpecError);  // random without run_cap
  spec.run_cap = 2;
  EXPECT_EQ(expand_trials(spec).size(), 2u);
  ParameterSpace bad;
  bad.values = {std::int64_t{5000}};
  spec.parameters["hidden_size"] = bad;
  EXPECT_THROW(expand_trials(spec), SpecError);  // out of the table's range
}

TEST(ToString, IntsDoublesAndNames) {
  EXPECT_EQ(to_string(ParamValue{std::int64_t{64}}), "64");
  EXPECT_EQ(to_string(ParamValue{0.001}), "0.001");
  EXPECT_EQ(to_string(ParamValue{1.0}), "1.0");
  EXPECT_EQ(to_string(ParamValue{0.1 + 0.2}), "0.30000000000000004");  // round-trips exactly
  EXPECT_EQ(std::stod(to_string(ParamValue{1e-7})), 1e-7);
  EXPECT_EQ(to_string(ParamValue{std::string("flatten")}), "flatten");
}

}  // namespace
}  // namespace eegsweep
