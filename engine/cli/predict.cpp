// sweep predict [--best | TRIAL] DATA -o predictions.csv: applies a trial's stored final model
// (weights and standardizer, final_run_models) to a CSV table or a directory of Muse recordings.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/cli/cli_common.h"
#include "engine/data/output_file.h"
#include "engine/model/metrics.h"
#include "engine/sched/predict.h"

namespace eegsweep::cli {

Verb add_predict_verb(CLI::App& app) {
  struct Arguments {
    DatabaseChoice db;
    bool best = false;
    std::vector<std::string> positional;  // TRIAL DATA, or DATA with --best
    int trial = 0;
    std::string data;
    std::string output;
    std::string group;
    bool force = false;
  };
  auto args = std::make_shared<Arguments>();
  Verb verb;
  verb.command = app.add_subcommand(
      "predict", "Apply a trial's stored final model to a CSV table or Muse recordings: class probabilities per row and per recording");
  auto* c = verb.command;
  c->add_option("data", args->positional, "[TRIAL] DATA: the trial number (or --best), "
                "then a CSV feature table (the training table's feature columns; label optional) "
                "or a directory of Muse recordings")->required()->expected(1, 2);
  c->add_flag("--best", args->best, "the best trial of the sweep");
  c->add_option("-o,--output", args->output,
                "predictions to write (CSV), replaced only once complete")->required();
  c->add_option("--group", args->group,
                "column to aggregate rows by (default: the sweep's group column when the data has "
                "it; recording for Muse recordings)");
  c->add_flag("--force", args->force, "overwrite the output file even when it is a SQLite database");
  add_database_options(*c, args->db);
  verb.run = [args] {
    // `predict 3 data.csv` and `predict --best data.csv`: CLI11 alone would read data.csv as the
    // trial number in the second form.
    if (args->positional.size() != (args->best ? 1u : 2u)) {
      throw std::invalid_argument("predict: give either --best or a trial number, then the data");
    }
    if (!args->best) {
      const std::string& text = args->positional.front();
      std::size_t used = 0;
      try {
        args->trial = std::stoi(text, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != text.size() || args->trial < 1) {
        throw std::invalid_argument("predict: trial '" + text + "' is not a trial number (1 or more)");
      }
    }
    args->data = args->positional.back();
    check_output_path(args->output, args->force);  // before loading the data
    OpenedSweep opened = open_sweep_for_reading(args->db);
    Store& store = *opened.store;
    const SweepInfo& sweep = opened.sweep;
    const auto trial = args->best ? store.best_trial(sweep.id) : store.trial(sweep.id, args->trial);
    if (!trial) {
      throw std::invalid_argument(store.path() + ": sweep '" + sweep.name + "' has no " +
                                  (args->best ? std::string("completed trial")
                                              : "trial " + std::to_string(args->trial)));
    }
    const auto run = store.final_run(trial->id);
    const auto model = run ? store.final_model(run->id) : std::nullopt;
    if (!model) {
      throw std::invalid_argument(fmt::format(
          "{}: trial {} has no stored model{}; `sweep reproduce {}` trains and stores one",
          store.path(), trial->number,
          run ? " (its final run was recorded before models were stored)" : " (no final run)",
          trial->number));
    }
    const auto overrides =
        nlohmann::json::parse(sweep.overrides_json).get<std::vector<std::string>>();
    const SweepSpec spec = parse_sweep(sweep.spec_text, sweep.spec_path, overrides);
    const PredictionInput input = read_prediction_data(spec, *model, args->data, args->group);
    const Predictions predictions = predict_rows(*model, input);
    write_file_atomically(args->output, predictions_csv(input, predictions), args->force);

    std::fprintf(stderr, "%s: %zu row(s) predicted by trial %d of sweep '%s'", args->output.c_str(),
                 predictions.rows, trial->number, sweep.name.c_str());
    if (input.data->has_groups()) {
      std::fprintf(stderr, ", %zu %s(s)", input.data->group_names.size(),
                   input.data->group_column.c_str());
    }
    if (input.labelled) {
      ConfusionMatrix confusion(static_cast<int>(predictions.class_names.size()));
      for (std::size_t r = 0; r < predictions.rows; ++r) {
        confusion.add(input.data->y[r], predictions.predicted[r]);
      }
      std::fprintf(stderr, "; accuracy on its labels %s",
                   format_metric(compute_metrics(confusion, 0).accuracy).c_str());
    }
    std::fprintf(stderr, "\n");
    return static_cast<int>(exit_ok);
  };
  return verb;
}

}  // namespace eegsweep::cli
