// sweep slurm FILE --db URL --workers N: writes an sbatch array script of workers and submits it.
#include <filesystem>
#include <unistd.h>

#include "engine/cli/cli_common.h"
#include "engine/data/output_file.h"
#include "engine/sched/slurm_script.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep::cli {

namespace {

std::string this_binary() {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string("sweep") : path.string();
}

}  // namespace

Verb add_slurm_verb(CLI::App& app) {
  struct Arguments {
    std::string file, script;
    std::vector<std::string> overrides;
    SlurmOptions options;
    bool dry_run = false;
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand("slurm", "Submit a Slurm array of workers for a sweep held in PostgreSQL");
  auto* c = verb.command;
  c->add_option("file", args->file, "sweep file (YAML), on a filesystem every node sees")->required();
  c->add_option("--set", args->overrides, "override a key, as for `run`");
  c->add_option("--db", args->options.db_url, "the PostgreSQL store: postgresql://user@host/db")->required();
  c->add_option("--workers", args->options.workers, "array tasks, one worker each")->required()
      ->check(at_least(1));
  c->add_option("--gpus-per-worker", args->options.gpus_per_worker, "GPUs per worker (--gres=gpu:G)")
      ->check(at_least(0));
  c->add_option("--cpus-per-worker", args->options.cpus_per_worker,
                "CPUs per worker (--cpus-per-task; also units trained at once)")
      ->check(at_least(1));
  c->add_option("--partition", args->options.partition, "Slurm partition");
  c->add_option("--time", args->options.time_limit, "time limit per task (e.g. 04:00:00)");
  c->add_option("--lease", args->options.lease_seconds, "workers' lease in seconds (default 60)")
      ->check(positive_seconds());
  c->add_option("--script", args->script, "where to write the script (default results/<name>.slurm.sh)");
  c->add_flag("--dry-run", args->dry_run, "print the script instead of submitting it");
  verb.run = [args] {
    if (args->options.db_url.rfind("postgresql://", 0) != 0 &&
        args->options.db_url.rfind("postgres://", 0) != 0) {
      throw std::invalid_argument("--db " + args->options.db_url +
                                  ": Slurm workers need a PostgreSQL URL (postgresql://user@host/db)");
    }
    const SweepSpec spec = load_sweep_file(args->file, args->overrides);  // fails here, not on the nodes
    print_spec_messages(spec.messages);
    SlurmOptions& o = args->options;
    o.sweep_binary = this_binary();
    o.spec_path = std::filesystem::absolute(args->file).lexically_normal().string();
    o.overrides = args->overrides;
    o.job_name = "eegsweep-" + spec.name;
    const std::string script_path = args->script.empty() ? "results/" + spec.name + ".slurm.sh" : args->script;
    o.log_directory = std::filesystem::absolute(std::filesystem::path(script_path).parent_path()).string();
    const std::string text = slurm_array_script(o);
    if (args->dry_run) {
      std::fputs(text.c_str(), stdout);
      return static_cast<int>(exit_ok);
    }
    std::filesystem::create_directories(std::filesystem::path(script_path).parent_path());
    write_output(script_path, text, false);
    std::fflush(stdout);
    const std::string command = "sbatch --parsable " + shell_quoted(script_path);
    const int status = std::system(command.c_str());
    if (status != 0) {
      std::fprintf(stderr, "sweep: error: `%s` failed (exit %d); the script is %s\n", command.c_str(),
                   WIFEXITED(status) ? WEXITSTATUS(status) : status, script_path.c_str());
      return static_cast<int>(exit_bad_input);
    }
    std::fprintf(stderr, "submitted %s (%d workers); watch with `squeue`, read with `sweep pull`\n",
                 script_path.c_str(), o.workers);
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
