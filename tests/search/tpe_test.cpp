// TPE's parts against hand calculations and Debian's Optuna 3.1 (optuna.samplers._tpe.
// parzen_estimator._ParzenEstimator with the TPESampler defaults, run once by hand; its figures are
// quoted below): the bandwidths, weights, densities and the good/bad split; and its behaviour:
// start-up trials are random search's draws, and a clear signal in the history draws the
// suggestions to it.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/search/parzen.h"
#include "engine/search/tpe.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {
namespace {

TEST(Parzen, BandwidthIsTheLargerNeighbourGapWithThePriorInTheMiddle) {
  // Points 0.2 and 0.8 on [0, 1]; the prior sits at 0.5: sorted 0.2 0.5 0.8, each 0.3 from its
  // neighbour; min σ = 1 / min(100, 1 + 3) = 0.25, so nothing is clipped; the prior's σ is 1.
  const NumericParzen p({0.2, 0.8}, 0, 1);
  EXPECT_EQ(p.mus(), (std::vector<double>{0.2, 0.8, 0.5}));
  ASSERT_EQ(p.sigmas().size(), 3u);
  EXPECT_NEAR(p.sigmas()[0], 0.3, 1e-15);
  EXPECT_NEAR(p.sigmas()[1], 0.3, 1e-15);
  EXPECT_DOUBLE_EQ(p.sigmas()[2], 1.0);
  for (double w : p.weights()) EXPECT_DOUBLE_EQ(w, 1.0 / 3);
  // Optuna 3.1 gives the same mus (0.2, 0.8, 0.5), sigmas (0.3, 0.3, 1) and weights (1/3 each).
  // Its log_pdf omits each component's 1/σ (its _truncnorm.logpdf returns −1.1228 for one
  // component where the truncated normal's log density is 0.0812), so the density is checked
  // against the mixture of three normals truncated to [0, 1] computed with Python's math.erfc:
  // log p(0.5) = 0.0679598192534362, log p(0.1) = −0.07948298890463172.
  EXPECT_NEAR(p.log_pdf(0.5), 0.0679598192534362, 1e-12);
  EXPECT_NEAR(p.log_pdf(0.1), -0.07948298890463172, 1e-12);
}

TEST(Parzen, MagicClipKeepsAPointOnThePriorFromCollapsing) {
  // One point at the prior's mean: both neighbour gaps are 0, clipped up to 1 / min(100, 1 + 2)
  // (Optuna 3.1: sigmas 0.33333333, 1).
  const NumericParzen p({0.5}, 0, 1);
  EXPECT_NEAR(p.sigmas()[0], 1.0 / 3, 1e-15);
  EXPECT_DOUBLE_EQ(p.sigmas()[1], 1.0);
}

TEST(Parzen, CategoricalAddsThePriorSpreadOverTheChoices) {
  // Indices 0, 0, 1 of 3 choices, four kernels of weight 1/4: an observation's kernel is its choice
  // + 1/4 on each, normalized (5/7, 1/7, 1/7 for choice 0); the prior's is 1/3 each.
  // p(0) = (5/7 + 5/7 + 1/7 + 1/3) / 4 = 40/84, p(1) = (1/7 + 1/7 + 5/7 + 1/3) / 4 = 28/84,
  // p(2) = (3/7 + 1/3) / 4 = 16/84; Optuna 3.1's log_pdf: −0.74193734, −1.09861229, −1.65822808.
  const CategoricalParzen p({0, 0, 1}, 3);
  EXPECT_NEAR(p.probabilities()[0], 40.0 / 84, 1e-15);
  EXPECT_NEAR(p.probabilities()[1], 28.0 / 84, 1e-15);
  EXPECT_NEAR(p.probabilities()[2], 16.0 / 84, 1e-15);
  EXPECT_NEAR(p.log_pdf(0), -0.74193734, 1e-8);
  EXPECT_NEAR(p.log_pdf(2), -1.65822808, 1e-8);
}

TEST(Parzen, WeightsRampTheOldestFrom25On) {
  EXPECT_EQ(parzen_observation_weights(3), (std::vector<double>{1, 1, 1}));
  // n = 27: numpy.linspace(1/27, 1, 2) = [1/27, 1], then 25 ones (Optuna 3.1: 0.03703704, 1, 1).
  const auto w = parzen_observation_weights(27);
  ASSERT_EQ(w.size(), 27u);
  EXPECT_DOUBLE_EQ(w[0], 1.0 / 27);
  EXPECT_DOUBLE_EQ(w[1], 1.0);
  EXPECT_DOUBLE_EQ(w[26], 1.0);
}

TEST(Parzen, TruncatedQuantileInvertsTheCdf) {
  // The median of a normal centred in its interval is its centre; u = 0 and u → 1 are the ends.
  EXPECT_NEAR(truncated_normal_quantile(0.5, 0.5, 0.2, 0, 1), 0.5, 1e-12);
  EXPECT_NEAR(truncated_normal_quantile(0.0, 0.5, 0.2, 0, 1), 0.0, 1e-12);
  EXPECT_NEAR(truncated_normal_quantile(1.0, 0.5, 0.2, 0, 1), 1.0, 1e-12);
}

TEST(Tpe, GoodCountIsOptunasDefaultGamma) {
  EXPECT_EQ(tpe_good_count(1), 1);
  EXPECT_EQ(tpe_good_count(10), 1);
  EXPECT_EQ(tpe_good_count(11), 2);  // ceil(1.1)
  EXPECT_EQ(tpe_good_count(250), 25);
  EXPECT_EQ(tpe_good_count(400), 25);
}

TpeObservation scored(double loss) {
  TpeObservation o;
  o.loss = loss;
  return o;
}

TEST(Tpe, SplitRanksScoredThenPrunedThenRunning) {
  std::vector<TpeObservation> h;
  for (double loss : {0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.6, 0.4, 0.05}) h.push_back(scored(loss));
  TpeObservation pruned, running;
  pruned.state = TpeObservation::State::pruned;
  running.state = TpeObservation::State::running;
  h.push_back(pruned);   // 10
  h.push_back(running);  // 11
  // n = 12 → good = ceil(1.2) = 2: the two lowest losses, 0.05 (position 9) and 0.1 (position 1).
  const TpeSplit split = tpe_split(h);
  EXPECT_EQ(split.good, (std::vector<std::size_t>{1, 9}));
  EXPECT_EQ(split.bad.size(), 10u);
}

SweepSpec one_parameter(const std::string& kind_yaml) {
  return parse_sweep("method: bayes\nrun_cap: 40\ndata: {format: synthetic}\nseed: 5\nparameters:\n  " +
                         kind_yaml + "\n",
                     "tpe.yaml");
}

TEST(Tpe, StartUpTrialsAreRandomSearchsDraws) {
  SweepSpec spec = one_parameter("learning_rate: {distribution: log_uniform_values, min: 0.0001, max: 0.1}");
  SweepSpec random = spec;
  random.method = "random";
  random.run_cap = 10;
  const std::vector<Trial> draws = expand_trials(random);
  std::vector<TpeObservation> history;
  for (int n = 1; n <= 10; ++n) {
    const auto values = tpe_suggest(spec.parameters, history, spec.seed, n, 0);
    EXPECT_EQ(values.at("learning_rate"), draws[static_cast<std::size_t>(n - 1)].values.at("learning_rate")) << n;
    TpeObservation o;
    o.values = values;
    history.push_back(o);
  }
}

TEST(Tpe, SuggestionsGoWhereTheHistoryScoresBest) {
  // 30 trials on a grid of dropout in [0, 0.5], loss = (x − 0.35)²: TPE's suggestions must be much
  // nearer 0.35 than uniform draws, whose mean distance from 0.35 is (0.35² + 0.15²) / 1 = 0.145.
  const SweepSpec spec = one_parameter("dropout: {min: 0.0, max: 0.5}");
  std::vector<TpeObservation> history;
  for (int i = 0; i < 30; ++i) {
    TpeObservation o;
    const double x = 0.5 * i / 29;
    o.values["dropout"] = x;
    o.loss = (x - 0.35) * (x - 0.35);
    history.push_back(o);
  }
  double distance = 0;
  for (int n = 31; n <= 50; ++n)
    distance += std::abs(std::get<double>(tpe_suggest(spec.parameters, history, spec.seed, n, 0).at("dropout")) - 0.35);
  EXPECT_LT(distance / 20, 0.05);
}

TEST(Tpe, CategoricalSuggestionFollowsTheGoodGroup) {
  const SweepSpec spec = one_parameter("hidden_size: {values: [8, 16, 32, 64]}");
  std::vector<TpeObservation> history;
  const std::int64_t sizes[] = {8, 16, 32, 64};
  for (int i = 0; i < 20; ++i) {
    TpeObservation o;
    o.values["hidden_size"] = sizes[i % 4];
    o.loss = sizes[i % 4] == 32 ? 0.1 : 1.0;  // 32 is best
    history.push_back(o);
  }
  for (int n = 21; n <= 25; ++n)
    EXPECT_EQ(tpe_suggest(spec.parameters, history, spec.seed, n, 0).at("hidden_size"), ParamValue{std::int64_t{32}});
}

TEST(Tpe, EveryDistributionStaysInItsSpaceAndType) {
  const SweepSpec spec = parse_sweep(R"(
method: tpe
run_cap: 40
data: {format: synthetic}
parameters:
  batch_size: {distribution: q_uniform, min: 16, max: 128, q: 16}
  hidden_size: {distribution: int_uniform, min: 4, max: 9}
  learning_rate: {distribution: log_uniform_values, min: 0.0001, max: 0.01}
  dropout: {distribution: uniform, min: 0.1, max: 0.2}
  head: {values: [last, mean]}
  epochs: {value: 3}
)",
                                     "all.yaml");
  std::vector<TpeObservation> history;
  for (int n = 1; n <= 30; ++n) {
    const auto v = tpe_suggest(spec.parameters, history, 9, n, 0);
    const auto batch = std::get<std::int64_t>(v.at("batch_size"));
    EXPECT_TRUE(batch >= 16 && batch <= 128 && batch % 16 == 0) << batch;
    const auto hidden = std::get<std::int64_t>(v.at("hidden_size"));
    EXPECT_TRUE(hidden >= 4 && hidden <= 9) << hidden;
    const double lr = std::get<double>(v.at("learning_rate"));
    EXPECT_TRUE(lr >= 0.0001 && lr <= 0.01) << lr;
    const double dropout = std::get<double>(v.at("dropout"));
    EXPECT_TRUE(dropout >= 0.1 && dropout <= 0.2) << dropout;
    const auto head = std::get<std::string>(v.at("head"));
    EXPECT_TRUE(head == "last" || head == "mean") << head;
    EXPECT_EQ(std::get<std::int64_t>(v.at("epochs")), 3);
    TpeObservation o;
    o.values = v;
    o.loss = lr;  // any score: after 10 trials TPE is in charge
    history.push_back(o);
  }
}

}  // namespace
}  // namespace eegsweep
