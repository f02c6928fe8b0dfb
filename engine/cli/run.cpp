// sweep run FILE: trains every trial of the sweep file (resuming what a previous run finished).
#include <fmt/format.h>

#include <algorithm>

#include "engine/cli/cli_common.h"
#include "engine/cli/lease_options.h"
#include "engine/sched/progress.h"
#include "engine/sched/scheduler.h"
#include "engine/sched/stop_signal.h"
#include "engine/spec/parameters.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::cli {

namespace {

struct RunArguments {
  std::string file;
  std::vector<std::string> overrides;
  std::string db_path;
  bool fresh = false;
  int max_concurrent = 0;
  bool no_final = false;
  int stop_after_units = 0;
  LeasePolicy lease;
};

void print_summary(const RunSummary& s, const SweepSpec& spec) {
  std::printf("\nsweep '%s': %d trials, %d completed, %d failed, %d unfinished; %d units trained "
              "by this run — %s\n",
              spec.name.c_str(), s.trials_total, s.completed, s.failed, s.unfinished,
              s.units_trained, s.db_path.c_str());
  if (s.pruned > 0)
    std::printf("%d trial(s) pruned by early_terminate: `sweep results --all` lists them\n", s.pruned);
  if (s.best && s.best->cv_mean) {
    std::printf("best: trial %d, cv %s %.4f ± %.4f  %s\n", s.best->number, spec.metric.name.c_str(),
                *s.best->cv_mean, s.best->cv_std.value_or(0.0), s.best->params_json.c_str());
  }
  if (s.final_run) {
    std::printf("held-out test (trial %d retrained %d epochs): accuracy %.4f, balanced accuracy %.4f, "
                "f1_macro %.4f, weights %s\n", s.best->number, s.final_run->epochs, s.final_run->test.accuracy,
                s.final_run->test.recall_macro, s.final_run->test.f1_macro, s.final_run->weights_hash.c_str());
  }
  std::printf("compare runs: sweep results --db %s\n", s.db_path.c_str());
}

}  // namespace

Verb add_run_verb(CLI::App& app) {
  auto args = std::make_shared<RunArguments>();
  Verb verb;
  verb.command = app.add_subcommand("run", "Run (or resume) a sweep");
  verb.command->add_option("file", args->file, "sweep file (YAML)")->required();
  verb.command->add_option("--set", args->overrides, "override a key: --set cv.folds=3 "
                                                      "--set parameters.epochs.value=5");
  verb.command->add_option("--db", args->db_path, "results database (default: the file's "
                                                  "`results`, else results/<name>.db)");
  verb.command->add_flag("--fresh", args->fresh, "start a new sweep instead of resuming");
  verb.command->add_option("--max-concurrent,-j", args->max_concurrent,
                           "units trained at once (default: resources.max_concurrent, else one per core)")
      ->check(at_least(1));
  verb.command->add_flag("--no-final", args->no_final,
                         "skip retraining the best trial on all non-test rows");
  verb.command->add_option("--stop-after-units", args->stop_after_units,
                           "stop as Ctrl-C would once N (trial, fold) units are stored; run again "
                           "to resume")
      ->check(CLI::PositiveNumber);
  add_lease_options(*verb.command, args->lease, "trial");
  verb.command->footer("Sweepable parameters:\n" + parameter_table_text());
  verb.run = [args] {
    SweepSpec spec = load_sweep_file(args->file, args->overrides);
    print_spec_messages(spec.messages);
    if (!args->db_path.empty()) spec.results_path = args->db_path;
    RunOptions options;
    options.fresh = args->fresh;
    options.max_concurrent = args->max_concurrent;
    options.final_run = !args->no_final;
    options.interactive = Progress::stderr_is_terminal();
    options.stop_after_units = args->stop_after_units;
    options.lease = args->lease;
    install_stop_handlers();
    const RunSummary summary = run_sweep(spec, options);
    print_summary(summary, spec);
    if (summary.interrupted) {
      std::string command = "sweep run " + args->file;
      for (const auto& o : args->overrides) command += " --set " + o;
      if (!args->db_path.empty()) command += " --db " + args->db_path;
      std::fprintf(stderr, "interrupted: finished folds are stored; to resume, run the same command:\n  %s\n",
                   command.c_str());
      return 128 + (stop_signal_number() ? stop_signal_number() : 2);
    }
    if (!summary.final_run_error.empty()) {
      std::fprintf(stderr, "the final run failed (%s); `sweep reproduce --best --db %s` retries it\n",
                   summary.final_run_error.c_str(), summary.db_path.c_str());
    }
    if (summary.unfinished > 0) {
      std::fprintf(stderr, "%d trial(s) are still being trained by another process, or were left "
                   "unfinished: run the same command again to finish them\n", summary.unfinished);
    }
    if (summary.failed > 0) {
      std::fprintf(stderr, "%d trial(s) failed: see `sweep results --db %s` and `sweep show N`\n",
                   summary.failed, summary.db_path.c_str());
    }
    return std::min(summary.failed, static_cast<int>(exit_max_failed));
  };
  return verb;
}

}  // namespace eegsweep::cli
