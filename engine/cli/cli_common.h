#pragma once
// What every verb shares: exit codes, finding the results database, printing tables.

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/spec/sweep_spec.h"
#include "results/store.h"

namespace eegsweep::cli {

// Exit status (documented in the README): 1–63 = that many trials failed (63 = 63 or more).
enum ExitCode : int {
  exit_ok = 0,
  exit_max_failed = 63,
  exit_usage = 64,       // bad command line, e.g. an unknown trial or column (sysexits EX_USAGE)
  exit_bad_input = 65,   // bad sweep file or data, unusable device (EX_DATAERR)
  exit_store = 74,       // results database unusable (EX_IOERR)
  exit_mismatch = 1,     // reproduce: the reproduced score differs
};

// Every verb's standard output ends here: flushes and closes it and checks that every write
// reached it (`sweep results > /dev/full` must not exit 0 with nothing written). Returns `status`,
// or exit_store after saying "standard output: write failed: REASON".
int finish_standard_output(int status);

// Where a verb's text goes: standard output, or with -o a file written atomically
// (AtomicOutputFile: never a partial file, never over a database unless --force).
void write_output(const std::string& output_path, const std::string& text, bool force);

// A whole number of at least `minimum`, said in words when it is not ("must be a whole number of
// 1 or more, got 0"), instead of CLI11's "not in range 0 to 1.79769e+308".
CLI::Validator at_least(long long minimum);
// A number of seconds above zero.
CLI::Validator positive_seconds();

// A verb: its subcommand and what runs when it is chosen (returns the exit status).
struct Verb {
  CLI::App* command = nullptr;
  std::function<int()> run;
};

Verb add_run_verb(CLI::App& app);
Verb add_validate_verb(CLI::App& app);
Verb add_results_verb(CLI::App& app);
Verb add_show_verb(CLI::App& app);
Verb add_best_verb(CLI::App& app);
Verb add_reproduce_verb(CLI::App& app);
Verb add_export_verb(CLI::App& app);
Verb add_featurize_verb(CLI::App& app);
Verb add_report_verb(CLI::App& app);
Verb add_predict_verb(CLI::App& app);
Verb add_worker_verb(CLI::App& app);  // issue 14: many machines
Verb add_pull_verb(CLI::App& app);
Verb add_slurm_verb(CLI::App& app);

// Where the read-only verbs find their data: --db, else the sweep file's results path, else the
// newest results/*.db in the working directory.
struct DatabaseChoice {
  std::string db_path;
  std::string sweep_file;
  std::string sweep_name;  // --sweep: pick that sweep when the database holds several
};
void add_database_options(CLI::App& command, DatabaseChoice& choice);

struct OpenedSweep {
  std::unique_ptr<Store> store;
  SweepInfo sweep;
};
// Throws StoreError naming the database when it is missing or unusable, std::invalid_argument
// (exit 64) when --sweep names no sweep in it. Read-only unless the verb records something
// (reproduce).
OpenedSweep open_sweep_for_reading(const DatabaseChoice& choice,
                                   StoreMode mode = StoreMode::read_only);

// Parameters whose value differs between the sweep's trials (the leaderboard's columns).
std::vector<std::string> swept_parameter_names(const std::vector<TrialRecord>& trials);
std::string param_value(const TrialRecord& trial, const std::string& name);

// A text table with aligned columns; numbers right-aligned.
std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows);
std::string render_csv(const std::vector<std::string>& headers,
                       const std::vector<std::vector<std::string>>& rows);

std::string format_metric(double value);  // 4 decimals

// A sweep file's errors, warnings and notes on stderr, one "sweep: SEVERITY: FILE:LINE:COL: …"
// each; with `count`, then "sweep: N problems (…)" when there are several.
void print_spec_messages(const std::vector<SpecMessage>& messages, bool count = false);

}  // namespace eegsweep::cli

namespace eegsweep::cli {
// Rows = true class, columns = predicted, labelled with the class names.
std::string render_confusion(const ConfusionMatrix& confusion,
                             const std::vector<std::string>& class_names);
}  // namespace eegsweep::cli
