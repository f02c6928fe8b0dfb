// The `sweep` command: one verb per file (run.cpp, results.cpp, …); this file only dispatches and
// turns exceptions into a message and an exit status.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>

#include "engine/cli/cli_common.h"
#include "engine/data/dataset.h"
#include "engine/data/output_file.h"
#include "engine/spec/sweep_spec.h"
#include "results/store.h"

#ifndef EEGSWEEP_VERSION
#define EEGSWEEP_VERSION "dev"
#endif

using namespace eegsweep;

namespace {

int report(const std::exception& e, int status) {
  std::fprintf(stderr, "sweep: error: %s\n", e.what());
  return status;
}

int run_chosen_verb(const std::vector<cli::Verb>& verbs) {
  try {
    for (const auto& verb : verbs) {
      if (verb.command->parsed()) return verb.run();
    }
  } catch (const SpecError& e) {
    cli::print_spec_messages(e.messages(), true);
    return cli::exit_bad_input;
  } catch (const DataError& e) {
    return report(e, cli::exit_bad_input);
  } catch (const std::invalid_argument& e) {  // a wrong trial number, column, filter, output path
    return report(e, cli::exit_usage);
  } catch (const StoreError& e) {
    return report(e, cli::exit_store);
  } catch (const OutputFileError& e) {
    return report(e, cli::exit_store);
  } catch (const std::exception& e) {
    return report(e, cli::exit_bad_input);
  }
  return cli::exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"eegsweep: hyperparameter sweeps of GRU classifiers on EEG data"};
  app.set_version_flag("--version", EEGSWEEP_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 all good; 1–63 that many trials failed (63: 63 or more); 64 bad command "
      "line (or an output file that would overwrite a database); 65 bad sweep file or data; 74 "
      "results database unusable, or an output could not be written; 130/143 interrupted "
      "(run the same command again to resume). reproduce: 1 when the score differs.");

  std::vector<cli::Verb> verbs = {
      cli::add_run_verb(app),       cli::add_validate_verb(app), cli::add_results_verb(app),
      cli::add_show_verb(app),      cli::add_best_verb(app),     cli::add_reproduce_verb(app),
      cli::add_export_verb(app),    cli::add_featurize_verb(app), cli::add_report_verb(app),
      cli::add_predict_verb(app),   cli::add_worker_verb(app),   cli::add_pull_verb(app),
      cli::add_slurm_verb(app)};

  // CLI11 would only say "The following argument was not expected"; name the verb instead.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    std::string names;
    bool known = false;
    for (const auto& verb : verbs) {
      known = known || verb.command->get_name() == word;
      names += (names.empty() ? "" : ", ") + verb.command->get_name();
    }
    if (!known) {
      std::fprintf(stderr, "sweep: error: unknown verb '%s'; the verbs are %s (sweep --help)\n",
                   word.c_str(), names.c_str());
      return cli::exit_usage;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli::finish_standard_output(app.exit(e));
  } catch (const CLI::CallForAllHelp& e) {
    return cli::finish_standard_output(app.exit(e));
  } catch (const CLI::CallForVersion& e) {
    return cli::finish_standard_output(app.exit(e));
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return cli::exit_usage;
  }

  return cli::finish_standard_output(run_chosen_verb(verbs));
}
