// sweep show TRIAL: one trial — parameters, per-fold and per-epoch metrics, confusion matrices.
#include <fmt/format.h>

#include "engine/cli/cli_common.h"
#include "engine/cli/cv_interval.h"

namespace eegsweep::cli {

Verb add_show_verb(CLI::App& app) {
  struct Arguments {
    DatabaseChoice db;
    int trial = 0;
    bool epochs = true;
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand("show", "One trial: parameters, folds, epochs, confusion matrices");
  verb.command->add_option("trial", args->trial, "trial number (see `sweep results`)")->required();
  add_database_options(*verb.command, args->db);
  verb.command->add_flag("!--no-epochs", args->epochs, "leave out the per-epoch tables");
  verb.run = [args] {
    OpenedSweep opened = open_sweep_for_reading(args->db);
    Store& store = *opened.store;
    const SweepInfo& sweep = opened.sweep;
    const auto trial = store.trial(sweep.id, args->trial);
    if (!trial) {
      throw std::invalid_argument(fmt::format("{}: sweep '{}' has no trial {}", store.path(), sweep.name, args->trial));
    }
    std::printf("trial %d of sweep '%s' — %s", trial->number, sweep.name.c_str(), status_name(trial->status));
    if (trial->cv_mean) {
      std::printf(", cv %s %.4f ± %.4f", sweep.metric_name.c_str(), *trial->cv_mean, trial->cv_std.value_or(0));
    }
    std::printf("\n");
    if (!trial->error.empty()) std::printf("error: %s\n", trial->error.c_str());
    std::printf("seed %llu, params hash %s\n\nparameters:\n",
                static_cast<unsigned long long>(trial->seed), trial->params_hash.c_str());
    for (const auto& [name, value] : trial->params) std::printf("  %-14s %s\n", name.c_str(), value.c_str());

    const auto folds = store.folds(trial->id);
    if (folds.size() >= 2) std::printf("cv %s\n", cv_interval_text(folds, sweep.metric_name).c_str());
    std::vector<std::vector<std::string>> fold_rows;
    for (const auto& f : folds) {
      fold_rows.push_back({std::to_string(f.fold + 1), f.held_out_group, std::to_string(f.train_rows),
                           std::to_string(f.val_rows), std::to_string(f.best_epoch + 1),
                           format_metric(f.val.accuracy), format_metric(f.val.f1_macro),
                           format_metric(f.val.precision_macro), format_metric(f.val.recall_macro),
                           format_metric(f.val.loss), fmt::format("{:.1f}", f.seconds)});
    }
    std::printf("\nfolds (validation metrics at the best epoch):\n%s",
                render_table({"fold", "held out", "train", "val", "best epoch", "accuracy", "f1_macro",
                              "precision", "recall", "loss", "seconds"},
                             fold_rows).c_str());
    for (const auto& f : folds) {
      std::printf("\nfold %d%s\n", f.fold + 1,
                  f.backend_detail.empty() ? "" : (" (" + f.backend_detail + ")").c_str());
      if (args->epochs) {
        std::vector<std::vector<std::string>> epoch_rows;
        for (const auto& e : f.epochs) {
          epoch_rows.push_back({std::to_string(e.epoch + 1) + (e.epoch == f.best_epoch ? " *" : ""),
                                format_metric(e.train_loss), format_metric(e.val.loss),
                                format_metric(e.val.accuracy), format_metric(e.val.f1_macro),
                                fmt::format("{:.2f}", e.seconds)});
        }
        std::fputs(render_table({"epoch", "train loss", "val loss", "val accuracy", "val f1_macro",
                                 "seconds"},
                                epoch_rows).c_str(), stdout);
        std::printf("\n");
      }
      std::fputs(render_confusion(f.confusion, sweep.class_names).c_str(), stdout);
    }
    for (const auto& run : store.final_runs(sweep.id)) {
      if (run.trial_id != trial->id) continue;
      std::printf("\n%s run (%s, %d epochs on all non-test rows, %s): test accuracy %.4f, f1_macro "
                  "%.4f, weights %s\n",
                  run.kind.c_str(), run.created_at.c_str(), run.epochs, run.device.c_str(),
                  run.test.accuracy, run.test.f1_macro, run.weights_hash.c_str());
      std::fputs(render_confusion(run.confusion, sweep.class_names).c_str(), stdout);
    }
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
