// sweep pull --db postgresql://… -o results/NAME.db: a sweep from the server as a SQLite file that
// every read verb and sqlite3 can use.
#include "engine/cli/cli_common.h"
#include "results/pg_store.h"

namespace eegsweep::cli {

Verb add_pull_verb(CLI::App& app) {
  struct Arguments {
    std::string url, output, sweep;
    bool force = false;
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand("pull", "Copy sweeps from a PostgreSQL store into a SQLite file");
  auto* c = verb.command;
  c->add_option("--db", args->url, "the PostgreSQL store: postgresql://user@host/db")->required();
  c->add_option("-o,--output", args->output, "SQLite file to write (appears complete or not at all)")
      ->required();
  c->add_option("--sweep", args->sweep, "only the sweeps of this name (default: all)");
  c->add_flag("--force", args->force, "replace the output file when it exists");
  verb.run = [args] {
    const int sweeps = pull_sweeps(args->url, args->output, args->sweep, args->force);
    std::fprintf(stderr, "%s: %d sweep(s) pulled; read it with `sweep results --db %s`\n",
                 args->output.c_str(), sweeps, args->output.c_str());
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
