// sweep results: the leaderboard — trial, swept parameters, metric mean ± std over folds.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/cli/cli_common.h"
#include "engine/cli/leaderboard.h"

namespace eegsweep::cli {

Verb add_results_verb(CLI::App& app) {
  struct Arguments {
    DatabaseChoice db;
    int top = 0;
    std::string sort;
    std::string format = "table";
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand("results", "Leaderboard of a sweep, best first");
  add_database_options(*verb.command, args->db);
  verb.command->add_option("--top", args->top, "show only the N best trials")->check(CLI::PositiveNumber);
  verb.command->add_option("--sort", args->sort, "metric to rank by (default: the sweep's metric)");
  verb.command->add_option("--format", args->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  verb.run = [args] {
    OpenedSweep opened = open_sweep_for_reading(args->db);
    const SweepInfo& sweep = opened.sweep;
    const std::string sort = args->sort.empty() ? sweep.metric_name : args->sort;
    std::vector<LeaderboardRow> rows = leaderboard(*opened.store, sweep, sort);
    if (args->top > 0 && static_cast<int>(rows.size()) > args->top) rows.resize(args->top);

    std::vector<TrialRecord> trials;
    for (const auto& r : rows) trials.push_back(r.trial);
    const std::vector<std::string> swept = swept_parameter_names(trials);
    const std::string metric = sweep.metric_name.rfind("val_", 0) == 0 ? sweep.metric_name.substr(4)
                                                                       : sweep.metric_name;
    const std::vector<std::string> others = {"accuracy", "f1_macro", "loss"};

    if (args->format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& r : rows) {
        nlohmann::json j;
        j["trial"] = r.trial.number;
        j["status"] = status_name(r.trial.status);
        j["params"] = nlohmann::json::parse(r.trial.params_json);
        j["folds"] = r.folds;
        if (r.trial.cv_mean) j["cv_mean"] = *r.trial.cv_mean;
        if (r.trial.cv_std) j["cv_std"] = *r.trial.cv_std;
        for (const auto& [name, value] : r.mean) j["mean"][name] = value;
        for (const auto& [name, value] : r.std) j["std"][name] = value;
        if (!r.trial.error.empty()) j["error"] = r.trial.error;
        out.push_back(j);
      }
      std::printf("%s\n", out.dump(2).c_str());
      return static_cast<int>(exit_ok);
    }

    std::vector<std::string> headers = {"trial"};
    headers.insert(headers.end(), swept.begin(), swept.end());
    headers.push_back(metric + " (mean ± std)");
    for (const auto& o : others) {
      if (o != metric) headers.push_back(o);
    }
    headers.insert(headers.end(), {"folds", "status"});
    std::vector<std::vector<std::string>> table;
    for (const auto& r : rows) {
      std::vector<std::string> row = {std::to_string(r.trial.number)};
      for (const auto& p : swept) row.push_back(param_value(r.trial, p));
      const bool has = r.mean.count(metric) > 0;
      if (args->format == "csv") {
        row.push_back(has ? format_metric(r.mean.at(metric)) : "");
      } else {
        row.push_back(has ? format_metric(r.mean.at(metric)) + " ± " + format_metric(r.std.at(metric)) : "-");
      }
      for (const auto& o : others) {
        if (o != metric) row.push_back(r.mean.count(o) ? format_metric(r.mean.at(o)) : "-");
      }
      row.push_back(std::to_string(r.folds));
      std::string status = status_name(r.trial.status);
      if (!r.trial.error.empty()) status += ": " + r.trial.error;
      row.push_back(status);
      table.push_back(std::move(row));
    }
    if (args->format == "csv") {
      headers[1 + swept.size()] = metric + "_mean";
      headers.insert(headers.begin() + 2 + static_cast<long>(swept.size()), metric + "_std");
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        table[i].insert(table[i].begin() + 2 + static_cast<long>(swept.size()),
                        r.std.count(metric) ? format_metric(r.std.at(metric)) : "");
      }
      std::fputs(render_csv(headers, table).c_str(), stdout);
    } else {
      std::printf("sweep '%s' (%s) — %s, %s over %s\n\n", sweep.name.c_str(), sweep.created_at.c_str(),
                  sweep.device.c_str(), metric.c_str(), opened.store->path().c_str());
      std::fputs(render_table(headers, table).c_str(), stdout);
    }
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
