// sweep worker FILE --db postgresql://…: pulls (trial, fold) units from the PostgreSQL store and
// trains them until none is left; any number of them, on any machines, share one sweep.
#include <fmt/format.h>

#include "engine/cli/cli_common.h"
#include "engine/cli/lease_options.h"
#include "engine/sched/cluster_worker.h"
#include "engine/sched/progress.h"
#include "engine/sched/stop_signal.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::cli {

Verb add_worker_verb(CLI::App& app) {
  struct Arguments {
    std::string file;
    std::vector<std::string> overrides;
    WorkerOptions options;
    bool no_final = false;
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand(
      "worker", "Train units of a sweep held in PostgreSQL until none is left (many machines)");
  auto* c = verb.command;
  c->add_option("file", args->file, "sweep file (YAML); every worker of a sweep uses the same")->required();
  c->add_option("--set", args->overrides, "override a key, as for `run`");
  c->add_option("--db", args->options.db_url, "the PostgreSQL store: postgresql://user@host/db")->required();
  c->add_option("--max-concurrent,-j", args->options.concurrency, "units this worker trains at once")
      ->check(at_least(1));
  add_lease_options(*c, args->options.lease, "unit");
  c->add_flag("--no-final", args->no_final, "leave the final run of the best trial to another worker");
  c->add_option("--stop-after-units", args->options.stop_after_units,
                "stop as SIGTERM would once N units are recorded")
      ->check(CLI::PositiveNumber);
  c->footer("SIGTERM, SIGINT or SIGUSR1 (Slurm's warning) stop at the next epoch boundary, hand the "
            "claimed units back and exit 128+signal; start a worker again to resume.");
  verb.run = [args] {
    if (args->options.db_url.rfind("postgresql://", 0) != 0 &&
        args->options.db_url.rfind("postgres://", 0) != 0) {
      throw std::invalid_argument("--db " + args->options.db_url +
                                  ": a worker needs a PostgreSQL URL (postgresql://user@host/db); "
                                  "on one machine use `sweep run`");
    }
    SweepSpec spec = load_sweep_file(args->file, args->overrides);
    print_spec_messages(spec.messages);
    args->options.final_run = !args->no_final;
    args->options.interactive = Progress::stderr_is_terminal();
    install_stop_handlers();
    const WorkerSummary s = run_worker(spec, args->options);
    std::printf("worker: %d units recorded, %d refused (lease taken over), %d failed, %d trials "
                "pruned; sweep %lld now has %d pending, %d running, %d done, %d failed units%s\n",
                s.units_recorded, s.units_refused, s.units_failed, s.trials_pruned,
                static_cast<long long>(s.sweep_id), s.left.pending, s.left.running, s.left.done,
                s.left.failed, s.final_run_recorded ? "; final run recorded" : "");
    if (s.interrupted) {
      std::fprintf(stderr, "interrupted: claimed units were handed back; start a worker again to resume\n");
      return 128 + (stop_signal_number() ? stop_signal_number() : 2);
    }
    if (!s.final_run_error.empty()) {
      std::fprintf(stderr, "the final run failed: %s\n", s.final_run_error.c_str());
    }
    return std::min(s.units_failed, static_cast<int>(exit_max_failed));
  };
  return verb;
}

}  // namespace eegsweep::cli
