// Sweep files as W&B users bring them: every problem reported in one pass, W&B's keys without a
// meaning here accepted with a warning, their metric names understood, their parameter spellings
// answered with the corrected line. The files in tests/spec/wandb/ follow the shapes of W&B's
// documentation (grid, random, bayes, hyperband, nested parameters); each NAME.messages holds,
// written by hand from reading NAME.yaml, exactly what `sweep validate` reports for it.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/model/metrics.h"
#include "engine/spec/sweep_spec.h"
#include "tests/spec/spec_test_util.h"

namespace eegsweep {
namespace {

using test::minimal_head;
using test::spec_error;

// The SpecError's text for `text` read as the file `path`.
std::string spec_error_at(const std::string& text, const std::string& path) {
  try {
    parse_sweep(text, path);
  } catch (const SpecError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a SpecError for:\n" << text;
  return "";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The messages as `sweep validate` prints them (without its "sweep: " prefix): one per message,
// then the count when reading failed with more than one problem.
std::string render(const std::vector<SpecMessage>& messages, bool failed) {
  std::string text;
  std::size_t problems = 0;
  for (const auto& m : messages) {
    text += std::string(severity_name(m.severity)) + ": " + m.str() + "\n";
    if (m.severity != SpecMessage::Severity::note) ++problems;
  }
  if (failed && problems > 1) text += count_problems(messages) + "\n";
  return text;
}

// Reads tests/spec/wandb/NAME.yaml as "NAME.yaml"; returns the rendered messages.
std::string messages_for(const std::string& name, SweepSpec* valid = nullptr) {
  const std::string dir = std::string(EEGSWEEP_SOURCE_DIR) + "/tests/spec/wandb/";
  const std::string text = read_text(dir + name + ".yaml");
  EXPECT_FALSE(text.empty()) << "missing " << dir << name << ".yaml";
  try {
    SweepSpec spec = parse_sweep(text, name + ".yaml");
    if (valid != nullptr) *valid = spec;
    return render(spec.messages, false);
  } catch (const SpecError& e) {
    return render(e.messages(), true);
  }
}

std::string expected_for(const std::string& name) {
  const std::string path = std::string(EEGSWEEP_SOURCE_DIR) + "/tests/spec/wandb/" + name + ".messages";
  const std::string text = read_text(path);
  EXPECT_FALSE(text.empty()) << "missing " << path;
  return text;
}

TEST(WandbSweepFiles, EachFileGetsExactlyItsMessages) {
  for (const char* name : {"first_five_minutes", "grid", "random", "bayes", "hyperband", "nested"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(messages_for(name), expected_for(name));
  }
}

TEST(WandbSweepFiles, TheRandomSearchRunsAsWritten) {
  SweepSpec spec;
  messages_for("random", &spec);
  ASSERT_EQ(spec.name, "random-search");
  EXPECT_EQ(spec.metric.name, "accuracy");  // `acc`
  EXPECT_TRUE(spec.metric.maximize);
  EXPECT_EQ(expand_trials(spec).size(), 20u);  // run_cap
  // The ignored keys stay in the stored text, so the record shows what the user gave.
  EXPECT_NE(spec.source_text.find("entity: my-team"), std::string::npos);
  EXPECT_NE(spec.source_text.find("controller:"), std::string::npos);
}

TEST(WandbSweepFiles, IgnoredKeysDoNotChangeWhatIsRun) {
  const std::string body = std::string(minimal_head()) + "parameters:\n  hidden_size: {values: [8, 16]}\n";
  const SweepSpec plain = parse_sweep(body, "s.yaml");
  const SweepSpec with_wandb = parse_sweep(
      "program: train.py\ncommand: [python, train.py]\nproject: p\nentity: e\ncontroller: {type: local}\n" +
          body,
      "s.yaml");
  EXPECT_EQ(with_wandb.messages.size(), 5u);
  for (const auto& m : with_wandb.messages) EXPECT_EQ(m.severity, SpecMessage::Severity::warning) << m.str();
  EXPECT_EQ(plain.identity_hash(), with_wandb.identity_hash());
  ASSERT_EQ(expand_trials(with_wandb).size(), 2u);
  EXPECT_EQ(expand_trials(plain)[1].params_hash, expand_trials(with_wandb)[1].params_hash);
}

TEST(WandbMetrics, KerasAndWandbNamesMapToOursAndSaySo) {
  struct Case {
    std::string written, ours;
  };
  // Balanced accuracy is the mean of the per-class recalls, i.e. our recall_macro.
  const std::vector<Case> cases = {{"val_loss", "loss"},           {"val_accuracy", "accuracy"},
                                   {"val_acc", "accuracy"},        {"acc", "accuracy"},
                                   {"f1", "f1_macro"},             {"val_f1", "f1_macro"},
                                   {"balanced_accuracy", "recall_macro"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.written);
    const SweepSpec spec = parse_sweep(std::string(minimal_head()) + "metric: {name: " + c.written + "}\n", "s.yaml");
    EXPECT_EQ(canonical_metric_name(spec.metric.name), c.ours);
    EXPECT_EQ(spec.metric.maximize, c.ours != "loss");
    ASSERT_FALSE(spec.messages.empty());
    EXPECT_EQ(spec.messages[0].severity, SpecMessage::Severity::note);
    EXPECT_EQ(spec.messages[0].str().rfind("s.yaml:4:16: key 'metric.name': '" + c.written + "' is read as '" +
                                           c.ours + "'",
                                           0),
              0u)
        << spec.messages[0].str();
  }
  // Our own names need no note.
  EXPECT_TRUE(parse_sweep(std::string(minimal_head()) + "metric: {name: f1_macro, goal: maximize}\n", "s.yaml")
                  .messages.empty());
}

TEST(WandbMetrics, AGoalThatDiffersFromWandbsDefaultIsSaid) {
  // W&B minimizes unless told otherwise; here accuracy is maximized: a note says so.
  const SweepSpec accuracy = parse_sweep(std::string(minimal_head()) + "metric: {name: accuracy}\n", "s.yaml");
  ASSERT_EQ(accuracy.messages.size(), 1u);
  EXPECT_EQ(accuracy.messages[0].str(),
            "s.yaml:4:16: key 'metric.goal': not given: maximize, as higher accuracy is better (W&B's default "
            "is minimize)");
  // The loss is minimized, as in W&B: nothing to say.
  EXPECT_TRUE(parse_sweep(std::string(minimal_head()) + "metric: {name: loss}\n", "s.yaml").messages.empty());
  // An unknown metric is the one problem; no note about its goal.
  try {
    parse_sweep(std::string(minimal_head()) + "metric: {name: auc}\n", "s.yaml");
    ADD_FAILURE() << "auc accepted";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.messages().size(), 1u) << e.what();
  }
  // Without a metric section there is no W&B default to differ from.
  EXPECT_TRUE(parse_sweep(minimal_head(), "s.yaml").messages.empty());
}

TEST(WandbMetrics, AMetricWeDoNotComputeListsWhatExists) {
  EXPECT_EQ(spec_error(std::string(minimal_head()) + "metric: {name: val_auc}\n"),
            "sweep.yaml:4:16: key 'metric.name': unknown metric 'val_auc'; allowed: accuracy, f1_macro, "
            "precision_macro, recall_macro, loss (each also with a val_ prefix); W&B/Keras names acc, "
            "val_acc, f1, balanced_accuracy");
}

TEST(WandbParameters, CommonSpellingsAreSuggestedNeverAccepted) {
  struct Case {
    std::string written, ours;
  };
  const std::vector<Case> cases = {{"lr", "learning_rate"},    {"hidden_dim", "hidden_size"},
                                   {"units", "hidden_size"},   {"n_layers", "num_layers"},
                                   {"num_epochs", "epochs"},   {"bs", "batch_size"},
                                   {"dropout_rate", "dropout"}, {"LR", "learning_rate"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.written);
    const std::string message = spec_error(std::string(minimal_head()) + "parameters:\n  " + c.written +
                                           ": {values: [1, 2]}   # swept\n");
    EXPECT_EQ(message.rfind("sweep.yaml:5:3: key 'parameters." + c.written + "': unknown parameter (did you mean '" +
                                c.ours + "'?)",
                            0),
              0u)
        << message;
    // The user's own line, comment and all, with only the key renamed.
    EXPECT_NE(message.find("\nreplace line 5 with:\n  " + c.ours + ": {values: [1, 2]}   # swept"), std::string::npos)
        << message;
  }
}

TEST(WandbParameters, QuotedAndFlowStyleKeysKeepTheRestOfTheLine) {
  const std::string quoted = spec_error(std::string(minimal_head()) + "parameters:\n  \"lr\": {value: 0.1}\n");
  EXPECT_NE(quoted.find("replace line 5 with:\n  \"learning_rate\": {value: 0.1}"), std::string::npos) << quoted;
  const std::string flow = spec_error(std::string(minimal_head()) + "parameters: {epochs: {value: 3}, bs: {value: 8}}\n");
  EXPECT_NE(flow.find("sweep.yaml:4:34: key 'parameters.bs'"), std::string::npos) << flow;
  EXPECT_NE(flow.find("replace line 4 with:\nparameters: {epochs: {value: 3}, batch_size: {value: 8}}"),
            std::string::npos)
      << flow;
}

TEST(WandbParameters, TheCorrectedLineKeepsMultiByteTextBeforeTheKey) {
  const std::string message =
      spec_error(std::string(minimal_head()) + "parameters: {head: {values: [\"\u00fc\"]}, lr: {value: 0.1}}\n");
  EXPECT_NE(message.find("replace line 4 with:\nparameters: {head: {values: [\"\u00fc\"]}, learning_rate: {value: 0.1}}"),
            std::string::npos)
      << message;
}

TEST(WandbParameters, AnOverrideGetsItsCorrectedCommand) {
  const std::string message = spec_error(minimal_head(), {"parameters.lr.values=[0.1, 0.01]"});
  EXPECT_EQ(message,
            "--set parameters.lr.values: key 'parameters.lr': unknown parameter (did you mean "
            "'learning_rate'?); allowed: batch_size, dropout, epochs, head, hidden_size, learning_rate, "
            "num_layers, patience, precision, timesteps, weight_decay\n"
            "instead: --set parameters.learning_rate.values=[0.1, 0.01]");
}

TEST(AllProblemsAtOnce, EveryBadKeyAndEveryOverrideIsReported) {
  const std::string text = std::string(minimal_head()) +
                           "cv: {fodls: 3, stratified: maybe}\n"  // line 4
                           "seed: -1\n"
                           "parameters:\n"
                           "  hidden_size: {values: [8, 99999]}\n"  // line 7
                           "  dropout: {value: 2}\n";
  try {
    parse_sweep(text, "sweep.yaml", {"cv.folds=1", "bogus", "device=gpu"});
    FAIL() << "expected a SpecError";
  } catch (const SpecError& e) {
    std::vector<std::string> got;
    for (const auto& m : e.messages()) got.push_back(m.str().substr(0, m.str().find(':', m.str().find("key '") + 5)));
    const std::vector<std::string> expected = {
        "--set 'bogus'",  // malformed: no location at all, so first
        "sweep.yaml:4:6: key 'cv.fodls'",
        "sweep.yaml:4:28: key 'cv.stratified'",
        "sweep.yaml:5:7: key 'seed'",
        "sweep.yaml:7:29: key 'parameters.hidden_size.values[1]'",
        "sweep.yaml:8:20: key 'parameters.dropout.value'",
        "--set cv.folds: key 'cv.folds'",
        "--set device: key 'device'",
    };
    EXPECT_EQ(got, expected) << e.what();
    EXPECT_EQ(count_problems(e.messages()), "8 problems");
    // what(): every error on its own line, then the count.
    const std::string what = e.what();
    EXPECT_EQ(what.substr(what.rfind('\n') + 1), "8 problems");
  }
}

TEST(AllProblemsAtOnce, ABadDataFormatIsOneProblemNotOnePerKey) {
  const std::string message = spec_error(
      "name: x\n"
      "data:\n"
      "  format: parquet\n"
      "  path: a.csv\n"
      "  label: y\n"
      "  classes: [a, b]\n"
      "  synthetic: {rows: 10}\n"
      "cv: {group_by: subject}\n");
  EXPECT_EQ(message,
            "sweep.yaml:3:11: key 'data.format': unknown value 'parquet'; allowed: csv, synthetic, muse");
}

TEST(AllProblemsAtOnce, ABadMethodDoesNotMakeEveryDistributionAnError) {
  const std::string message = spec_error(std::string(minimal_head()) +
                                         "method: grdi\n"
                                         "parameters:\n"
                                         "  dropout: {min: 0.0, max: 0.5}\n"
                                         "  epochs: {value: 0}\n");
  EXPECT_EQ(message,
            "sweep.yaml:4:9: key 'method': unknown value 'grdi' (did you mean 'grid'?); allowed: grid, random, bayes, tpe\n"
            "sweep.yaml:7:19: key 'parameters.epochs.value': 0 is out of range; allowed: 1 .. 10000\n"
            "2 problems");
}

TEST(AllProblemsAtOnce, AMappingOfTheWrongShapeIsOneProblem) {
  EXPECT_EQ(spec_error("name: x\ndata: [csv]\ncv: {group_by: subject}\n"),
            "sweep.yaml:2:7: key 'data': expected a mapping, got a list; allowed: keys format, path, label, "
            "group, classes, synthetic, muse");
}

TEST(SweepName, DefaultsToTheFileStemAndSaysSo) {
  const SweepSpec spec = parse_sweep("data: {format: synthetic}\n", "sweeps/emotions.yaml");
  EXPECT_EQ(spec.name, "emotions");
  EXPECT_EQ(spec.results_path, "results/emotions.db");
  ASSERT_EQ(spec.messages.size(), 1u);
  EXPECT_EQ(spec.messages[0].severity, SpecMessage::Severity::note);
  EXPECT_EQ(spec.messages[0].str(),
            "sweeps/emotions.yaml: key 'name': not given: the sweep is named 'emotions' after its file");
  // A name that is given wins, silently.
  EXPECT_TRUE(parse_sweep("name: e2\ndata: {format: synthetic}\n", "emotions.yaml").messages.empty());
}

TEST(SweepName, AFileStemThatCannotNameTheDatabaseAsksForAName) {
  EXPECT_EQ(spec_error_at("data: {format: synthetic}\n", "my sweep.yaml"),
            "my sweep.yaml: key 'name': not given, and the file's name cannot stand in for it: 'my sweep' "
            "cannot name the results database: use letters, digits, '-', '_' and '.', starting with a "
            "letter or digit");
}

TEST(SpecMessages, CountNamesErrorsAndWarnings) {
  using S = SpecMessage::Severity;
  const auto messages = [](std::vector<S> severities) {
    std::vector<SpecMessage> m;
    for (S s : severities) m.push_back(SpecMessage{s, "f", 1, 1, "t"});
    return m;
  };
  EXPECT_EQ(count_problems(messages({S::error})), "1 problem");
  EXPECT_EQ(count_problems(messages({S::error, S::error, S::note})), "2 problems");
  EXPECT_EQ(count_problems(messages({S::error, S::warning, S::warning})), "3 problems (1 error, 2 warnings)");
  EXPECT_EQ(count_problems(messages({S::warning, S::note})), "1 problem (1 warning)");
}

}  // namespace
}  // namespace eegsweep
