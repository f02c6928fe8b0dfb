#include "engine/report/report_data.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "engine/report/importance.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::report {

namespace {

using nlohmann::json;

// The sweep's metric without the optional "val_" prefix (metric_value's names).
std::string bare_metric_name(const std::string& name) {
  return name.rfind("val_", 0) == 0 ? name.substr(4) : name;
}

// NaN and infinities are not JSON: they become null, which the page shows as "—".
json number_or_null(double value) { return std::isfinite(value) ? json(value) : json(); }

// Curves are drawn, never printed: 4 significant digits are finer than a pixel.
json curve_value(double value) {
  if (!std::isfinite(value)) return json();
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return std::stod(text);
}

json metrics_json(const Metrics& m) {
  return {{"loss", number_or_null(m.loss)}, {"accuracy", number_or_null(m.accuracy)},
          {"precision_macro", number_or_null(m.precision_macro)},
          {"recall_macro", number_or_null(m.recall_macro)}, {"f1_macro", number_or_null(m.f1_macro)}};
}

json confusion_json(const ConfusionMatrix& c) {
  json rows = json::array();
  for (int t = 0; t < c.classes; ++t) {
    json row = json::array();
    for (int p = 0; p < c.classes; ++p) row.push_back(c.at(t, p));
    rows.push_back(row);
  }
  return rows;
}

// What the sweep file says about each parameter (its kind; log axes for log distributions), when
// the stored spec still parses; an older or hand-made store simply has no kinds.
std::map<std::string, std::string> parameter_kinds(const SweepInfo& sweep, json& summary) {
  std::map<std::string, std::string> kinds;
  try {
    std::vector<std::string> overrides;
    const json stored = json::parse(sweep.overrides_json, nullptr, false);
    if (stored.is_array()) {
      for (const auto& o : stored) {
        if (o.is_string()) overrides.push_back(o.get<std::string>());
      }
    }
    const SweepSpec spec = parse_sweep(sweep.spec_text, sweep.spec_path, overrides);
    summary["method"] = spec.method;
    summary["folds"] = spec.cv.folds;
    summary["stratified"] = spec.cv.stratified;
    summary["group_by"] = spec.cv.group_by;
    summary["test_split"] = spec.test_split;
    summary["standardize"] = spec.standardize;
    static const std::map<ParameterSpace::Kind, std::string> names = {
        {ParameterSpace::Kind::constant, "constant"}, {ParameterSpace::Kind::values, "values"},
        {ParameterSpace::Kind::uniform, "uniform"}, {ParameterSpace::Kind::int_uniform, "int_uniform"},
        {ParameterSpace::Kind::log_uniform_values, "log_uniform_values"},
        {ParameterSpace::Kind::q_uniform, "q_uniform"}};
    for (const auto& [name, space] : spec.parameters) kinds[name] = names.at(space.kind);
  } catch (const std::exception& e) {
    summary["spec_note"] = std::string("the stored sweep file no longer parses: ") + e.what();
  }
  return kinds;
}

std::string value_text(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

std::string build_report_json(Store& store, const SweepInfo& sweep) {
  const std::string metric = bare_metric_name(sweep.metric_name);
  json out;
  json summary = {{"name", sweep.name}, {"description", sweep.description},
                  {"created_at", sweep.created_at}, {"device", sweep.device}, {"host", sweep.host},
                  {"engine_version", sweep.engine_version}, {"metric", sweep.metric_name},
                  {"maximize", sweep.maximize}, {"classes", sweep.class_names},
                  {"dataset", sweep.dataset_source}, {"dataset_hash", sweep.dataset_hash},
                  {"rows", sweep.dataset_rows}, {"features", sweep.dataset_features},
                  {"seed", std::to_string(sweep.seed)}, {"spec", sweep.spec_text},
                  {"spec_path", sweep.spec_path}};
  const std::map<std::string, std::string> kinds = parameter_kinds(sweep, summary);

  // Ranks come from the store's leaderboard view, as in `sweep results`.
  std::map<int, json> rank_of;
  const QueryResult board = store.leaderboard(sweep.id);
  std::size_t rank_column = 0, trial_column = 0;
  for (std::size_t c = 0; c < board.columns.size(); ++c) {
    if (board.columns[c] == "rank") rank_column = c;
    if (board.columns[c] == "trial") trial_column = c;
  }
  for (const auto& row : board.rows) {
    if (const auto* trial = std::get_if<std::int64_t>(&row[trial_column])) {
      if (const auto* rank = std::get_if<std::int64_t>(&row[rank_column])) rank_of[static_cast<int>(*trial)] = *rank;
    }
  }

  const std::vector<TrialRecord> trials = store.trials(sweep.id);
  std::map<std::int64_t, int> number_of;  // trial id → number, for the final runs
  std::map<std::string, std::set<std::string>> distinct_values;
  json trial_list = json::array();
  for (const auto& t : trials) {
    number_of[t.id] = t.number;
    const json params = json::parse(t.params_json, nullptr, false);
    json trial = {{"number", t.number}, {"status", status_name(t.status)}, {"error", t.error},
                  {"params", params.is_object() ? params : json::object()},
                  {"cv_mean", t.cv_mean ? number_or_null(*t.cv_mean) : json()},
                  {"cv_std", t.cv_std ? number_or_null(*t.cv_std) : json()},
                  {"rank", rank_of.count(t.number) ? rank_of[t.number] : json()},
                  {"started_at", t.started_at}, {"finished_at", t.finished_at}};
    if (params.is_object()) {
      for (const auto& [name, value] : params.items()) distinct_values[name].insert(value_text(value));
    }
    json folds = json::array();
    double seconds = 0;
    for (const auto& f : store.folds(t.id)) {
      json train_loss = json::array(), val_loss = json::array(), val_metric = json::array();
      for (const auto& e : f.epochs) {
        train_loss.push_back(curve_value(e.train_loss));
        val_loss.push_back(curve_value(e.val.loss));
        val_metric.push_back(curve_value(metric_value(e.val, metric)));
      }
      seconds += f.seconds;
      folds.push_back({{"fold", f.fold + 1}, {"best_epoch", f.best_epoch + 1},
                       {"score", number_or_null(metric_value(f.val, metric))},
                       {"val", metrics_json(f.val)}, {"train_rows", f.train_rows},
                       {"val_rows", f.val_rows}, {"seconds", f.seconds},
                       {"held_out_group", f.held_out_group},
                       {"confusion", confusion_json(f.confusion)},
                       {"curve", {{"train_loss", train_loss}, {"val_loss", val_loss}, {"val_metric", val_metric}}}});
    }
    trial["seconds"] = seconds;
    trial["folds"] = folds;
    trial_list.push_back(trial);
  }

  // The parameters that differ between trials are the axes of every chart.
  json params = json::array();
  std::vector<ParameterColumn> columns;
  std::vector<double> scores;
  for (const auto& t : trial_list) {
    if (t["status"] == "completed" && t["cv_mean"].is_number()) scores.push_back(t["cv_mean"].get<double>());
  }
  for (const auto& [name, values] : distinct_values) {
    if (values.size() < 2) continue;
    ParameterColumn column{name, {}, {}};
    bool numeric = true;
    for (const auto& t : trial_list) {
      if (t["status"] != "completed" || !t["cv_mean"].is_number()) continue;
      const json& value = t["params"].contains(name) ? t["params"][name] : json();
      column.values.push_back(value_text(value));
      if (value.is_number()) column.numbers.push_back(value.get<double>()); else numeric = false;
    }
    for (const auto& t : trial_list) {
      if (t["params"].contains(name) && !t["params"][name].is_number()) numeric = false;
    }
    if (!numeric) column.numbers.clear();
    const auto kind = kinds.find(name);
    params.push_back({{"name", name}, {"numeric", numeric},
                      {"kind", kind == kinds.end() ? "" : kind->second},
                      {"log", kind != kinds.end() && kind->second == "log_uniform_values"}});
    columns.push_back(std::move(column));
  }

  json importance = {{"method", kImportanceMethod}, {"values", json::array()}};
  if (scores.size() < 3) {
    importance["note"] = "needs at least 3 completed trials";
  } else if (columns.empty()) {
    importance["note"] = "no parameter differs between trials";
  } else {
    for (const auto& p : parameter_importance(columns, scores)) {
      importance["values"].push_back({{"name", p.name}, {"importance", p.importance}});
    }
  }

  // Grouped data: which groups each fold validates on. Scores per group come from the folds
  // (leave-one-group-out: one group per fold) and from the final runs' test groups.
  json fold_groups = json::array();
  for (const auto& fold : store.fold_groups(sweep.id)) {
    json groups = json::array();
    for (const auto& g : fold) groups.push_back({{"group", g.group}, {"rows", g.rows}});
    fold_groups.push_back(groups);
  }

  json final_runs = json::array();
  for (const auto& r : store.final_runs(sweep.id)) {
    json groups = json::array();
    for (const auto& g : store.final_run_groups(r.id)) {
      groups.push_back({{"group", g.group}, {"rows", g.rows}, {"accuracy", number_or_null(g.accuracy)},
                        {"balanced_accuracy", number_or_null(g.balanced_accuracy)},
                        {"confusion", confusion_json(g.confusion)}});
    }
    final_runs.push_back({{"trial", number_of.count(r.trial_id) ? json(number_of[r.trial_id]) : json()},
                          {"kind", r.kind}, {"epochs", r.epochs}, {"test", metrics_json(r.test)},
                          {"score", number_or_null(metric_value(r.test, metric))},
                          {"confusion", confusion_json(r.confusion)}, {"device", r.device},
                          {"weights_hash", r.weights_hash}, {"created_at", r.created_at},
                          {"groups", groups}});
  }

  out["sweep"] = summary;
  out["params"] = params;
  out["trials"] = trial_list;
  out["final_runs"] = final_runs;
  out["fold_groups"] = fold_groups;
  out["importance"] = importance;
  // Stored text (an error message, a spec) that is not valid UTF-8 is shown with U+FFFD, not refused.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace eegsweep::report
