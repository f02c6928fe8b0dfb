// sweep featurize DIR -o features.csv: raw Muse recordings → the windowed feature table.
#include <algorithm>
#include <chrono>
#include <set>

#include "engine/cli/cli_common.h"
#include "engine/data/csv_reader.h"
#include "engine/data/muse/muse.h"
#include "engine/data/muse/recording_report.h"
#include "engine/data/output_file.h"

namespace eegsweep::cli {

Verb add_featurize_verb(CLI::App& app) {
  struct Arguments {
    std::string directory;
    std::string output;
    MuseOptions options;
    bool no_filter = false;
    bool force = false;
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand("featurize", "Raw Muse recordings (a directory of CSV) → a feature table CSV");
  auto* c = verb.command;
  c->add_option("directory", args->directory, "directory of <subject>-<class>-<session>.csv recordings")
      ->required()->check(CLI::ExistingDirectory);
  c->add_option("-o,--output", args->output,
                "feature table to write (CSV), replaced only once complete")->required();
  c->add_flag("--force", args->force, "overwrite the output file even when it is a SQLite database");
  c->add_option("--channels", args->options.channels, "EEG channels to use")->delimiter(',');
  c->add_option("--pattern", args->options.filename_pattern, "file name pattern");
  c->add_flag("--no-filter", args->no_filter, "skip the band-pass and notch filters");
  c->add_option("--notch", args->options.notch_hz, "mains frequency to notch out (0: none)");
  c->add_option("--window", args->options.window_seconds, "window length in seconds");
  c->add_option("--hop", args->options.hop_seconds, "hop between windows in seconds");
  verb.run = [args] {
    args->options.filter = !args->no_filter;
    check_output_path(args->output, args->force);  // before minutes of featurizing
    const auto start = std::chrono::steady_clock::now();
    const MuseTable table = featurize_muse_directory(args->directory, args->options);
    // The subject beside the recording (the group column), so that a sweep over the table can
    // group its folds by either.
    write_feature_csv(table.data, args->output, args->force, {TextColumn{"subject", table.subject}});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::set<std::string> subjects(table.subject.begin(), table.subject.end());
    std::fprintf(stderr, "%s: %zu rows × %zu features, %zu class(es), %zu recording(s) of %zu subject(s) in %.2fs\n",
                 args->output.c_str(), table.data.rows, table.data.features, table.data.num_classes(),
                 table.data.group_names.size(), subjects.size(), seconds);
    if (!table.recordings.empty()) {
      const auto [shortest, longest] = std::minmax_element(
          table.recordings.begin(), table.recordings.end(),
          [](const RecordingReport& a, const RecordingReport& b) { return a.seconds < b.seconds; });
      std::fprintf(stderr, "recordings from %.1f s (%s, %zu rows) to %.1f s (%s, %zu rows)\n",
                   shortest->seconds, shortest->name.c_str(), shortest->rows, longest->seconds,
                   longest->name.c_str(), longest->rows);
    }
    std::fputs(describe_recordings(table.recordings, args->options).c_str(), stderr);
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
