// sweep best: the best trial by mean CV metric, and its held-out test score.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/cli/cli_common.h"
#include "engine/cli/cv_interval.h"
#include "engine/cli/test_uncertainty.h"
#include "engine/model/fold_statistics.h"
#include "engine/model/metrics.h"

namespace eegsweep::cli {

Verb add_best_verb(CLI::App& app) {
  struct Arguments {
    DatabaseChoice db;
    std::string format = "table";
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand("best", "The best trial and its held-out test score");
  add_database_options(*verb.command, args->db);
  verb.command->add_option("--format", args->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  verb.run = [args] {
    OpenedSweep opened = open_sweep_for_reading(args->db);
    const auto best = opened.store->best_trial(opened.sweep.id);
    if (!best) throw std::invalid_argument(opened.store->path() + ": sweep '" + opened.sweep.name + "' has no completed trial yet");
    const std::optional<FinalRunRecord> final_run = opened.store->final_run(best->id);
    if (args->format == "json") {
      nlohmann::json j;
      j["sweep"] = opened.sweep.name;
      j["trial"] = best->number;
      j["params"] = nlohmann::json::parse(best->params_json);
      j["metric"] = opened.sweep.metric_name;
      j["cv_mean"] = best->cv_mean.value_or(0);
      j["cv_std"] = best->cv_std.value_or(0);
      {
        const std::vector<FoldRecord> folds = opened.store->folds(best->id);
        std::vector<double> values;
        nlohmann::json per_fold = nlohmann::json::array();
        for (const auto& f : folds) {
          values.push_back(metric_value(f.val, opened.sweep.metric_name));
          per_fold.push_back({{"fold", f.fold + 1}, {"held_out_group", f.held_out_group},
                              {"accuracy", f.val.accuracy}, {"balanced_accuracy", f.val.recall_macro}});
        }
        const MeanInterval m = mean_interval(values);
        j["cv_std_error"] = m.std_error;
        j["cv_interval_95"] = {m.low, m.high};
        j["folds"] = per_fold;
      }
      if (final_run) {
        j["test"] = {{"accuracy", final_run->test.accuracy}, {"balanced_accuracy", final_run->test.recall_macro},
                     {"f1_macro", final_run->test.f1_macro},
                     {"loss", final_run->test.loss}, {"epochs", final_run->epochs},
                     {"weights_hash", final_run->weights_hash}};
        const TestUncertainty u = test_uncertainty(*opened.store, opened.sweep, *final_run);
        if (u.accuracy.resamples > 0) {
          j["test"]["accuracy_interval_95"] = {u.accuracy.low, u.accuracy.high};
          j["test"]["balanced_accuracy_interval_95"] = {u.balanced_accuracy.low, u.balanced_accuracy.high};
          j["test"]["bootstrap_units"] = u.grouped ? "groups" : "rows";
        }
        nlohmann::json per_group = nlohmann::json::array();
        for (const auto& g : u.groups) {
          per_group.push_back({{"group", g.group}, {"rows", g.rows}, {"accuracy", g.accuracy},
                               {"balanced_accuracy", g.balanced_accuracy}});
        }
        j["test"]["groups"] = per_group;
        if (!u.warning.empty()) j["test"]["warning"] = u.warning;
      }
      std::printf("%s\n", j.dump(2).c_str());
      return static_cast<int>(exit_ok);
    }
    std::printf("best trial of sweep '%s': %d — cv %s %.4f ± %.4f\n", opened.sweep.name.c_str(),
                best->number, opened.sweep.metric_name.c_str(), best->cv_mean.value_or(0),
                best->cv_std.value_or(0));
    const std::vector<FoldRecord> folds = opened.store->folds(best->id);
    if (folds.size() >= 2) std::printf("cv %s\n", cv_interval_text(folds, opened.sweep.metric_name).c_str());
    for (const auto& [name, value] : best->params) std::printf("  %-14s %s\n", name.c_str(), value.c_str());
    std::vector<std::vector<std::string>> fold_rows;
    for (const auto& f : folds) {
      fold_rows.push_back({std::to_string(f.fold + 1), f.held_out_group, std::to_string(f.val_rows),
                           format_metric(f.val.accuracy), format_metric(f.val.recall_macro),
                           format_metric(f.val.f1_macro)});
    }
    std::printf("%s", render_table({"fold", "held out", "val", "accuracy", "balanced accuracy", "f1_macro"},
                                   fold_rows).c_str());
    if (final_run) {
      std::printf("held-out test: accuracy %.4f, balanced accuracy %.4f, f1_macro %.4f, loss %.4f (%d "
                  "epochs, weights %s)\n",
                  final_run->test.accuracy, final_run->test.recall_macro, final_run->test.f1_macro,
                  final_run->test.loss,
                  final_run->epochs, final_run->weights_hash.c_str());
      const TestUncertainty u = test_uncertainty(*opened.store, opened.sweep, *final_run);
      if (u.accuracy.resamples > 0) {
        std::printf("bootstrap 95 %% interval (%d resamples of %d %s): accuracy [%.4f, %.4f], balanced "
                    "accuracy [%.4f, %.4f]\n",
                    u.accuracy.resamples, u.accuracy.units, u.grouped ? "test groups" : "test rows",
                    u.accuracy.low, u.accuracy.high, u.balanced_accuracy.low, u.balanced_accuracy.high);
      }
      if (!u.warning.empty()) std::printf("warning: %s\n", u.warning.c_str());
      if (!u.groups.empty()) {
        std::vector<std::vector<std::string>> group_rows;
        for (const auto& g : u.groups) {
          group_rows.push_back({g.group, std::to_string(g.rows), format_metric(g.accuracy),
                                format_metric(g.balanced_accuracy)});
        }
        std::printf("%s", render_table({"test group", "rows", "accuracy", "balanced accuracy"}, group_rows).c_str());
      }
      std::fputs(render_confusion(final_run->confusion, opened.sweep.class_names).c_str(), stdout);
    } else {
      bool no_test_rows = false;
      try {
        const auto test_rows = opened.store->query(
            "SELECT count(*) FROM split_rows WHERE sweep_id = ? AND role = 'test'", {opened.sweep.id});
        const auto all_rows = opened.store->query("SELECT count(*) FROM split_rows WHERE sweep_id = ?",
                                                  {opened.sweep.id});
        no_test_rows = sql_value_text(test_rows.rows.at(0).at(0)) == "0" &&
                       sql_value_text(all_rows.rows.at(0).at(0)) != "0";
      } catch (const StoreError&) {
        // A store from before split_rows: say what was always said.
      }
      if (no_test_rows) {
        std::printf("no held-out test rows in this sweep: the folds above are its evaluation "
                    "(`sweep reproduce --best` retrains and checks them)\n");
      } else {
        std::printf("no held-out test score yet: `sweep reproduce --best` computes and records it\n");
      }
    }
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
