// sweep validate FILE: parses and expands a sweep without training anything.
#include <fmt/format.h>

#include "engine/cli/cli_common.h"
#include "engine/cli/evaluation_summary.h"
#include "engine/sched/scheduler.h"
#include "engine/sched/sweep_checks.h"
#include "engine/sched/sweep_plan.h"
#include "engine/spec/sweep_keys.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::cli {

Verb add_validate_verb(CLI::App& app) {
  struct Arguments {
    std::string file;
    std::vector<std::string> overrides;
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand("validate", "Check a sweep file and list its trials");
  verb.command->add_option("file", args->file, "sweep file (YAML)")->required();
  verb.command->add_option("--set", args->overrides, "override a key, as for run");
  verb.command->footer(sweep_keys_text() + "\n" + parameter_table_text());
  verb.run = [args] {
    const SweepSpec spec = load_sweep_file(args->file, args->overrides);
    print_spec_messages(spec.messages);
    std::vector<Trial> trials = expand_trials(spec);
    // The data too: a sweep that cannot fit its data (timesteps, folds after the test split) is
    // rejected here as `run` would reject it, before anything is trained.
    const std::shared_ptr<const Dataset> data = load_dataset(spec);
    const SweepPlan plan = plan_sweep(spec, data);
    check_timesteps_fit(spec, trials, *data);
    std::printf("%s: valid — sweep '%s', method %s, %zu trials × %d folds, metric %s (%s)\n",
                args->file.c_str(), spec.name.c_str(), spec.method.c_str(), trials.size(),
                static_cast<int>(plan.folds.size()), spec.metric.name.c_str(),
                spec.metric.maximize ? "maximize" : "minimize");
    std::printf("data: %s %s — %zu rows × %zu features, %zu classes, %zu test rows held out; "
                "results: %s\n",
                spec.data.format.c_str(), data->source.c_str(), data->rows, data->features,
                data->num_classes(), plan.holdout.test.size(), results_database_path(spec).c_str());
    std::printf("%s\n", evaluation_summary(spec, plan).c_str());
    if (spec.method == "bayes" || spec.method == "tpe") {
      // TPE chooses the rest as the sweep runs; its start-up trials are random search's draws.
      if (trials.size() > 10) trials.resize(10);
      std::printf("%s (TPE) chooses its trials as the sweep runs; the first %zu are these random draws:\n\n",
                  spec.method.c_str(), trials.size());
    }
    // Show the parameters that vary, as the leaderboard will.
    std::vector<TrialRecord> records;
    for (const auto& t : trials) {
      TrialRecord r;
      r.number = t.number;
      for (const auto& [name, value] : t.values) r.params.emplace_back(name, to_string(value));
      records.push_back(std::move(r));
    }
    std::vector<std::string> names = swept_parameter_names(records);
    if (names.empty() && !records.empty()) {
      for (const auto& [name, value] : records.front().params) names.push_back(name);
    }
    std::vector<std::string> headers = {"trial"};
    headers.insert(headers.end(), names.begin(), names.end());
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : records) {
      std::vector<std::string> row = {std::to_string(r.number)};
      for (const auto& n : names) row.push_back(param_value(r, n));
      rows.push_back(std::move(row));
    }
    std::fputs(render_table(headers, rows).c_str(), stdout);
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
