// sweep reproduce --best | TRIAL: retrains the trial's final model from the stored spec and seed,
// scores it on the held-out test rows, and compares with the recorded score.
#include <fmt/format.h>

#include "engine/cli/cli_common.h"
#include "engine/sched/reproduce.h"
#include "engine/sched/stop_signal.h"

namespace eegsweep::cli {

namespace {

// A sweep without test rows: its folds are what can be reproduced.
int reproduce_folds_verb(Store& store, const SweepInfo& sweep, const TrialRecord& trial,
                         const std::string& device) {
  const FoldsReproduction r = reproduce_folds(store, sweep, trial, device);
  std::fprintf(stderr, "%s\n", r.backend_reason.c_str());
  std::vector<std::vector<std::string>> rows;
  for (const FoldReproduction& f : r.folds) {
    rows.push_back({std::to_string(f.recorded.fold + 1), f.recorded.held_out_group,
                    std::to_string(f.recorded.best_epoch + 1), std::to_string(f.reproduced.best_epoch + 1),
                    format_metric(f.recorded.val.accuracy), format_metric(f.reproduced.val.accuracy),
                    f.identical ? "identical" : "differs"});
  }
  std::printf("trial %d of sweep '%s': the sweep has no held-out test rows, so its %zu folds are "
              "retrained and compared\n%s",
              trial.number, sweep.name.c_str(), r.folds.size(),
              render_table({"fold", "held out", "best epoch", "reproduced", "accuracy", "reproduced", ""},
                           rows).c_str());
  if (r.matches && !r.cross_device) {
    std::printf("\nidentical: every fold's best epoch, validation loss and confusion matrix\n");
  } else if (r.matches) {
    std::printf("\nclose: across devices, fold accuracy differs by at most %.4f (tolerance %.2f)\n",
                r.largest_difference, kCrossDeviceTolerance);
  } else {
    std::printf("\nDIFFERENT: %s\n", r.cross_device ? "a fold's accuracy differs by more than the "
                                                        "tolerance across devices"
                                                      : "the CPU backend must reproduce its own folds exactly");
  }
  return static_cast<int>(r.matches ? exit_ok : exit_mismatch);
}

}  // namespace

Verb add_reproduce_verb(CLI::App& app) {
  struct Arguments {
    DatabaseChoice db;
    bool best = false;
    int trial = 0;
    std::string device;
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand(
      "reproduce", "Retrain a trial's final model from the stored spec and seed; compare test scores");
  verb.command->add_option("trial", args->trial, "trial number");
  verb.command->add_flag("--best", args->best, "the best trial of the sweep");
  verb.command->add_option("--device", args->device, "auto, cpu or cuda (default: the sweep's)")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  add_database_options(*verb.command, args->db);
  verb.run = [args] {
    if (args->best == (args->trial > 0)) {
      throw std::invalid_argument("reproduce: give either --best or a trial number");
    }
    // reproduce records its result (final_runs), so it opens the database for writing.
    OpenedSweep opened = open_sweep_for_reading(args->db, StoreMode::read_write);
    Store& store = *opened.store;
    const SweepInfo& sweep = opened.sweep;
    const auto trial = args->best ? store.best_trial(sweep.id) : store.trial(sweep.id, args->trial);
    if (!trial) {
      throw std::invalid_argument(store.path() + ": sweep '" + sweep.name + "' has no " +
                       (args->best ? std::string("completed trial") : "trial " + std::to_string(args->trial)));
    }
    std::fprintf(stderr, "reproducing trial %d of sweep '%s'…\n", trial->number, sweep.name.c_str());
    install_stop_handlers();
    if (!sweep_has_test_rows(sweep)) return reproduce_folds_verb(store, sweep, *trial, args->device);
    const Reproduction r = reproduce_trial(store, sweep, *trial, args->device);
    std::fprintf(stderr, "%s\n", r.backend_reason.c_str());

    auto column = [](const FinalRunRecord& run) {
      return std::vector<std::string>{std::to_string(run.epochs), format_metric(run.test.accuracy),
                                      format_metric(run.test.f1_macro), fmt::format("{:.6f}", run.test.loss),
                                      run.weights_hash, run.device};
    };
    const std::vector<std::string> labels = {"epochs", "test accuracy", "test f1_macro", "test loss",
                                             "weights hash", "device"};
    std::vector<std::vector<std::string>> rows;
    const auto now = column(r.reproduced);
    const auto then = r.recorded ? column(*r.recorded) : std::vector<std::string>(labels.size(), "-");
    for (std::size_t i = 0; i < labels.size(); ++i) rows.push_back({labels[i], then[i], now[i]});
    std::printf("trial %d of sweep '%s'\n%s", trial->number, sweep.name.c_str(),
                render_table({"", "recorded", "reproduced"}, rows).c_str());
    std::printf("\nreproduced confusion (held-out test rows):\n%s",
                render_confusion(r.reproduced.confusion, sweep.class_names).c_str());
    switch (r.verdict) {
      case Reproduction::Verdict::first_record:
        std::printf("\nno recorded test score for trial %d: this one is now its record\n", trial->number);
        return static_cast<int>(exit_ok);
      case Reproduction::Verdict::identical:
        std::printf("\nidentical: same epochs, test loss, confusion matrix and weights\n");
        return static_cast<int>(exit_ok);
      case Reproduction::Verdict::close:
      case Reproduction::Verdict::different:
        break;
    }
    const bool close = r.verdict == Reproduction::Verdict::close;
    const auto on_cpu = [](const std::string& device) { return device.rfind("cpu", 0) == 0; };
    if (on_cpu(r.recorded->device) && on_cpu(r.reproduced.device)) {
      std::printf("\nDIFFERENT: the CPU backend must reproduce its own results exactly\n");
      return static_cast<int>(exit_mismatch);
    }
    std::printf("\n%s: recorded on %s, reproduced on %s; test accuracy differs by %.4f (tolerance "
                "across devices %.2f)\n", close ? "close" : "DIFFERENT", r.recorded->device.c_str(),
                r.reproduced.device.c_str(), r.accuracy_difference, kCrossDeviceTolerance);
    return static_cast<int>(close ? exit_ok : exit_mismatch);
  };
  return verb;
}

}  // namespace eegsweep::cli
