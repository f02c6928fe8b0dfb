// sweep results: the leaderboard — trial, swept parameters, metric mean ± std over folds — from
// the store's `leaderboard` view, filterable with SQL (--where).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <algorithm>
#include <map>

#include "engine/cli/cli_common.h"
#include "engine/cli/compare_trials.h"
#include "engine/model/fold_statistics.h"
#include "engine/model/metrics.h"

namespace eegsweep::cli {

namespace {

nlohmann::json json_value(const SqlValue& v) {
  if (std::holds_alternative<std::int64_t>(v)) return std::get<std::int64_t>(v);
  if (std::holds_alternative<double>(v)) return std::get<double>(v);
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return nullptr;
}

std::string number_text(const SqlValue& v) {
  return std::holds_alternative<double>(v) ? format_metric(std::get<double>(v)) : sql_value_text(v);
}

// rank "-", trial "baseline": the metric's mean ± std (population, as trials' cv_std) over the
// baseline's folds, the other metrics' means; the test fold is not a fold.
std::vector<std::string> baseline_row(const std::vector<BaselineFoldRecord>& baseline,
                                      std::size_t params, const std::string& metric,
                                      const std::vector<std::string>& others, bool csv) {
  std::vector<const BaselineFoldRecord*> folds;
  double seconds = 0;
  for (const auto& f : baseline) {
    if (f.fold != kBaselineTestFold) folds.push_back(&f);
    seconds += f.seconds;
  }
  auto mean_of = [&](const std::string& name) {
    double sum = 0;
    for (const auto* f : folds) sum += metric_value(f->scores, name);
    return folds.empty() ? 0.0 : sum / static_cast<double>(folds.size());
  };
  const double mean = mean_of(metric);
  double squares = 0;
  for (const auto* f : folds) squares += std::pow(metric_value(f->scores, metric) - mean, 2);
  const double std = folds.empty() ? 0.0 : std::sqrt(squares / static_cast<double>(folds.size()));
  std::vector<std::string> line = {"-", "baseline"};
  for (std::size_t p = 0; p < params; ++p) line.push_back("");
  if (csv) {
    line.push_back(format_metric(mean));
    line.push_back(format_metric(std));
  } else {
    line.push_back(format_metric(mean) + " ± " + format_metric(std));
  }
  for (const auto& o : others) line.push_back(format_metric(mean_of(o)));
  line.push_back(std::to_string(folds.size()));
  line.push_back(fmt::format("{:.1f}", seconds));
  return line;
}

}  // namespace

Verb add_results_verb(CLI::App& app) {
  struct Arguments {
    DatabaseChoice db;
    int top = 0;
    std::string sort;
    std::string where;
    std::string format = "table";
    double timeout_seconds = 5;
    bool all = false;
    std::vector<int> compare;  // two trial numbers: a paired t-test over their folds
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand("results", "Leaderboard of a sweep, best first");
  add_database_options(*verb.command, args->db);
  verb.command->add_option("--top", args->top, "show only the first N trials")->check(at_least(1));
  verb.command->add_option("--sort", args->sort,
                           "column to rank by: a metric (best first) or a parameter (ascending); "
                           "default: the sweep's metric");
  verb.command->add_option("--where", args->where,
                           "SQL filter over the columns, e.g. \"hidden_size >= 32 and accuracy > 0.9\"");
  verb.command->add_option("--timeout", args->timeout_seconds,
                           "stop a --where filter that runs longer than this (default: 5)")
      ->check(positive_seconds());
  verb.command->add_flag("--all", args->all,
                         "also list each pruned trial (stopped by early_terminate) with what stopped it");
  verb.command->add_option("--format", args->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  verb.command->add_option("--compare", args->compare,
                           "two trial numbers: their folds side by side and a paired t-test")
      ->expected(2);
  verb.run = [args] {
    OpenedSweep opened = open_sweep_for_reading(args->db);
    Store& store = *opened.store;
    const SweepInfo& sweep = opened.sweep;
    if (!args->compare.empty()) return compare_trials(store, sweep, args->compare.at(0), args->compare.at(1));
    LeaderboardQuery query;
    query.top = args->top;
    query.where = args->where;
    query.time_limit_seconds = args->timeout_seconds;
    if (!args->sort.empty()) {
      query.sort_by = metric_is_known(args->sort) ? canonical_metric_name(args->sort) : args->sort;
      query.descending = metric_is_known(args->sort) && metric_default_maximize(args->sort);
    }
    QueryResult board;
    try {
      board = store.leaderboard(sweep.id, query);
    } catch (const StoreError& e) {
      // With a filter or sort column of the user's, an SQL error is theirs to fix.
      if (query.where.empty() && query.sort_by.empty()) throw;
      throw std::invalid_argument(e.what());
    }
    std::map<std::string, std::size_t> column;
    for (std::size_t c = 0; c < board.columns.size(); ++c) column[board.columns[c]] = c;

    if (args->format == "json") {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& row : board.rows) {
        nlohmann::json j;
        for (std::size_t c = 0; c < row.size(); ++c) j[board.columns[c]] = json_value(row[c]);
        j["params"] = nlohmann::json::parse(sql_value_text(row[column.at("params")]));
        out.push_back(j);
      }
      std::printf("%s\n", out.dump(2).c_str());
      return static_cast<int>(exit_ok);
    }

    const std::vector<TrialRecord> trials = store.trials(sweep.id);
    std::vector<std::string> params;  // the parameters that vary, as leaderboard columns
    for (const auto& name : swept_parameter_names(trials)) {
      params.push_back(column.count(name) && !column.count("param." + name) ? name : "param." + name);
    }
    const std::string metric = canonical_metric_name(sweep.metric_name);
    std::vector<std::string> others;
    for (const char* m : {"accuracy", "f1_macro", "loss"}) {
      if (m != metric) others.push_back(m);
    }
    const bool csv = args->format == "csv";
    std::vector<std::string> headers = {"rank", "trial"};
    for (const auto& p : params) headers.push_back(p.rfind("param.", 0) == 0 ? p.substr(6) : p);
    if (csv) {
      headers.insert(headers.end(), {metric + "_mean", metric + "_std"});
    } else {
      headers.push_back(metric + " (mean ± std)");
      headers.push_back("95 % interval");
    }
    // Leave-one-group-out: each held-out group's score side by side.
    const std::vector<std::string> held_out = store.held_out_groups(sweep.id);
    const bool per_group = std::any_of(held_out.begin(), held_out.end(), [](const std::string& g) { return !g.empty(); });
    if (per_group) headers.insert(headers.end(), held_out.begin(), held_out.end());
    headers.insert(headers.end(), others.begin(), others.end());
    headers.insert(headers.end(), {"folds", "seconds"});

    std::vector<std::vector<std::string>> table;
    for (const auto& row : board.rows) {
      auto cell = [&](const std::string& name) { return row[column.at(name)]; };
      std::vector<std::string> line = {sql_value_text(cell("rank")), sql_value_text(cell("trial"))};
      for (const auto& p : params) line.push_back(sql_value_text(cell(p)));
      if (csv) {
        line.push_back(number_text(cell("cv_mean")));
        line.push_back(number_text(cell("cv_std")));
      } else {
        line.push_back(number_text(cell("cv_mean")) + " ± " + number_text(cell("cv_std")));
      }
      if (!csv || per_group) {
        const SqlValue id = cell("trial_id");
        const std::vector<FoldRecord> folds =
            std::holds_alternative<std::int64_t>(id) ? store.folds(std::get<std::int64_t>(id)) : std::vector<FoldRecord>{};
        std::vector<double> values;
        for (const auto& f : folds) values.push_back(metric_value(f.val, metric));
        const MeanInterval m = mean_interval(values);
        if (!csv) line.push_back(m.n >= 2 ? fmt::format("[{:.4f}, {:.4f}]", m.low, m.high) : "");
        if (per_group) {
          std::vector<std::string> by_fold(held_out.size());
          for (const auto& f : folds) {
            if (static_cast<std::size_t>(f.fold) < by_fold.size()) by_fold[static_cast<std::size_t>(f.fold)] = format_metric(metric_value(f.val, metric));
          }
          line.insert(line.end(), by_fold.begin(), by_fold.end());
        }
      }
      for (const auto& o : others) line.push_back(number_text(cell(o)));
      line.push_back(sql_value_text(cell("folds")));
      const SqlValue seconds = cell("seconds");
      line.push_back(std::holds_alternative<double>(seconds)
                         ? fmt::format("{:.1f}", std::get<double>(seconds))
                         : sql_value_text(seconds));
      table.push_back(std::move(line));
    }
    // The linear baseline on the same folds: its own row of the table, last, never ranked (not a
    // trial). The CSV stays a table of trials; baseline_folds holds the baseline for machines.
    const std::vector<BaselineFoldRecord> baseline = csv ? std::vector<BaselineFoldRecord>{}
                                                         : store.baseline(sweep.id);
    if (!baseline.empty()) {
      table.push_back(baseline_row(baseline, params.size(), metric, others, csv));
    }
    if (csv) {
      std::fputs(render_csv(headers, table).c_str(), stdout);
      return static_cast<int>(exit_ok);
    }
    std::printf("sweep '%s' (%s, %s) — %s over %s, %s\n\n", sweep.name.c_str(),
                sweep.created_at.c_str(), sweep.device.c_str(), metric.c_str(), store.path().c_str(),
                query.sort_by.empty() ? "best first" : ("by " + query.sort_by).c_str());
    std::fputs(render_table(headers, table).c_str(), stdout);
    // The leaderboard ranks completed trials; say what else there is.
    int unfinished = 0, pruned = 0;
    for (const auto& t : trials) {
      if (t.status == TrialStatus::failed) {
        std::printf("trial %d failed: %s\n", t.number, t.error.c_str());
      } else if (t.status == TrialStatus::pruned) {
        ++pruned;
        if (args->all) std::printf("trial %d (%d folds stored) %s\n", t.number, t.folds_done, t.error.c_str());
      } else if (t.status != TrialStatus::completed) {
        ++unfinished;
      }
    }
    if (pruned > 0 && !args->all) std::printf("%d trial(s) pruned by early_terminate: `--all` lists them\n", pruned);
    if (unfinished > 0) std::printf("%d trial(s) not finished yet: `sweep run` resumes them\n", unfinished);
    if (!baseline.empty()) {
      std::printf("baseline: a linear softmax classifier on the standardized features, trained on the "
                  "same folds (not a trial)");
      for (const auto& f : baseline) {
        if (f.fold == kBaselineTestFold) {
          std::printf("; its test %s %s", metric.c_str(), format_metric(metric_value(f.scores, metric)).c_str());
        }
      }
      std::printf("\n");
    }
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
