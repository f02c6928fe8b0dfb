// sweep report: the sweep as one self-contained HTML page (engine/report).
#include "engine/cli/cli_common.h"
#include "engine/data/output_file.h"
#include "engine/report/html_page.h"

namespace eegsweep::cli {

Verb add_report_verb(CLI::App& app) {
  struct Arguments {
    DatabaseChoice db;
    std::string output;
    bool force = false;
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand(
      "report", "Write the sweep as one self-contained HTML page (opens offline: charts, leaderboard, curves)");
  add_database_options(*verb.command, args->db);
  verb.command->add_option("-o,--output", args->output,
                           "HTML file to write, replaced only once complete")
      ->required();
  verb.command->add_flag("--force", args->force,
                         "overwrite the output file even when it is a SQLite database");
  verb.run = [args] {
    check_output_path(args->output, args->force);
    OpenedSweep opened = open_sweep_for_reading(args->db);
    write_output(args->output, report::render_report(*opened.store, opened.sweep), args->force);
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
