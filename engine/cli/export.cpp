// sweep export: every trial with its parameters and metrics (csv), or everything — folds, epochs,
// confusion matrices, final runs — as one JSON document.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>

#include "engine/cli/cli_common.h"
#include "engine/data/output_file.h"

namespace eegsweep::cli {

namespace {

nlohmann::json metrics_json(const Metrics& m) {
  return {{"loss", m.loss}, {"accuracy", m.accuracy}, {"precision_macro", m.precision_macro},
          {"recall_macro", m.recall_macro}, {"f1_macro", m.f1_macro}, {"precision", m.precision},
          {"recall", m.recall}, {"f1", m.f1}};
}

nlohmann::json confusion_json(const ConfusionMatrix& c) {
  nlohmann::json rows = nlohmann::json::array();
  for (int t = 0; t < c.classes; ++t) {
    std::vector<std::int64_t> row;
    for (int p = 0; p < c.classes; ++p) row.push_back(c.at(t, p));
    rows.push_back(row);
  }
  return rows;
}

std::string export_json(Store& store, const SweepInfo& sweep) {
  nlohmann::json out;
  out["sweep"] = {{"name", sweep.name}, {"created_at", sweep.created_at}, {"device", sweep.device},
                  {"metric", sweep.metric_name}, {"maximize", sweep.maximize},
                  {"classes", sweep.class_names}, {"dataset", sweep.dataset_source},
                  {"dataset_hash", sweep.dataset_hash}, {"seed", sweep.seed},
                  {"spec", sweep.spec_text}};
  const std::vector<TrialRecord> trials = store.trials(sweep.id);
  std::map<std::int64_t, int> number_of;  // trial id → trial number, for the final runs
  out["trials"] = nlohmann::json::array();
  for (const auto& t : trials) {
    number_of[t.id] = t.number;
    nlohmann::json trial = {{"trial", t.number}, {"status", status_name(t.status)},
                            {"params", nlohmann::json::parse(t.params_json)}, {"seed", t.seed}};
    if (t.cv_mean) trial["cv_mean"] = *t.cv_mean;
    if (t.cv_std) trial["cv_std"] = *t.cv_std;
    if (!t.error.empty()) trial["error"] = t.error;
    trial["folds"] = nlohmann::json::array();
    for (const auto& f : store.folds(t.id)) {
      nlohmann::json epochs = nlohmann::json::array();
      for (const auto& e : f.epochs) {
        epochs.push_back({{"epoch", e.epoch + 1}, {"train_loss", e.train_loss},
                          {"val", metrics_json(e.val)}, {"seconds", e.seconds}});
      }
      trial["folds"].push_back({{"fold", f.fold + 1}, {"train_rows", f.train_rows},
                                {"val_rows", f.val_rows}, {"best_epoch", f.best_epoch + 1},
                                {"val", metrics_json(f.val)}, {"confusion", confusion_json(f.confusion)},
                                {"epochs", epochs}, {"seconds", f.seconds}});
    }
    out["trials"].push_back(trial);
  }
  out["final_runs"] = nlohmann::json::array();
  for (const auto& r : store.final_runs(sweep.id)) {
    out["final_runs"].push_back({{"trial", number_of.at(r.trial_id)}, {"kind", r.kind}, {"epochs", r.epochs},
                                 {"test", metrics_json(r.test)}, {"confusion", confusion_json(r.confusion)},
                                 {"weights_hash", r.weights_hash}, {"device", r.device},
                                 {"created_at", r.created_at}});
  }
  return out.dump(2) + "\n";
}

std::string export_csv(Store& store, const SweepInfo& sweep) {
  // Fold means of completed trials come from the store's leaderboard view.
  const QueryResult board = store.leaderboard(sweep.id);
  std::map<std::string, std::size_t> column;
  for (std::size_t c = 0; c < board.columns.size(); ++c) column[board.columns[c]] = c;
  std::map<std::string, const std::vector<SqlValue>*> by_trial;
  for (const auto& row : board.rows) by_trial[sql_value_text(row[column.at("trial")])] = &row;

  const std::vector<TrialRecord> trials = store.trials(sweep.id);
  std::vector<std::string> params;
  if (!trials.empty()) {
    for (const auto& [name, value] : trials.front().params) params.push_back(name);
  }
  std::vector<std::string> headers = {"trial", "status"};
  headers.insert(headers.end(), params.begin(), params.end());
  headers.insert(headers.end(), {"cv_mean", "cv_std"});
  headers.insert(headers.end(), metric_names().begin(), metric_names().end());
  headers.insert(headers.end(), {"folds", "error"});
  std::vector<std::vector<std::string>> table;
  for (const auto& t : trials) {
    std::vector<std::string> row = {std::to_string(t.number), status_name(t.status)};
    for (const auto& p : params) row.push_back(param_value(t, p));
    row.push_back(t.cv_mean ? fmt::format("{}", *t.cv_mean) : "");
    row.push_back(t.cv_std ? fmt::format("{}", *t.cv_std) : "");
    const auto found = by_trial.find(std::to_string(t.number));
    for (const auto& m : metric_names()) {
      row.push_back(found == by_trial.end() ? "" : sql_value_text((*found->second)[column.at(m)]));
    }
    row.push_back(std::to_string(t.folds_done));
    row.push_back(t.error);
    table.push_back(std::move(row));
  }
  return render_csv(headers, table);
}

}  // namespace

Verb add_export_verb(CLI::App& app) {
  struct Arguments {
    DatabaseChoice db;
    std::string format = "csv";
    std::string output;
    bool force = false;
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand("export", "Export a sweep's results as CSV (a row per trial) or JSON (everything)");
  add_database_options(*verb.command, args->db);
  verb.command->add_option("--format", args->format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  verb.command->add_option("-o,--output", args->output,
                           "file to write, replaced only once complete (default: standard output)");
  verb.command->add_flag("--force", args->force,
                         "overwrite the output file even when it is a SQLite database");
  verb.run = [args] {
    // Before reading anything: `-o results/x.db` must not cost a full export to be refused.
    if (!args->output.empty()) check_output_path(args->output, args->force);
    OpenedSweep opened = open_sweep_for_reading(args->db);
    const std::string text = args->format == "json" ? export_json(*opened.store, opened.sweep)
                                                    : export_csv(*opened.store, opened.sweep);
    write_output(args->output, text, args->force);
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
