// sweep reproduce --best | TRIAL: retrains the trial's final model from the stored spec and seed,
// scores it on the held-out test rows, and compares with the recorded score.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "engine/cli/cli_common.h"
#include "engine/sched/backend_choice.h"
#include "engine/sched/final_run.h"
#include "engine/sched/stop_signal.h"
#include "engine/sched/sweep_plan.h"

namespace eegsweep::cli {

namespace {

bool same_result(const FinalRunRecord& a, const FinalRunRecord& b) {
  return a.epochs == b.epochs && a.test.loss == b.test.loss && a.test.accuracy == b.test.accuracy &&
         a.confusion.counts == b.confusion.counts && a.weights_hash == b.weights_hash;
}

bool on_cpu(const std::string& device) { return device.rfind("cpu", 0) == 0; }

constexpr double kCrossDeviceTolerance = 0.02;  // test accuracy, absolute

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
    if (trial->status != TrialStatus::completed) {
      throw std::invalid_argument(fmt::format("{}: trial {} is {}, not completed", store.path(), trial->number,
                                   status_name(trial->status)));
    }

    const auto overrides = nlohmann::json::parse(sweep.overrides_json).get<std::vector<std::string>>();
    SweepSpec spec = parse_sweep(sweep.spec_text, sweep.spec_path, overrides);
    if (!args->device.empty()) spec.device = args->device;
    auto data = load_dataset(spec);
    if (dataset_hash(*data) != sweep.dataset_hash) {
      throw DataError(fmt::format("{}: the data changed since the sweep ran (hash {} then, {} now)",
                                  data->source, sweep.dataset_hash, dataset_hash(*data)));
    }
    const SweepPlan plan = plan_sweep(spec, data);
    BackendChoice choice = choose_backend(spec.device);
    choice.backend->set_dataset(data);
    std::fprintf(stderr, "%s\nreproducing trial %d of sweep '%s'…\n", choice.reason.c_str(),
                 trial->number, sweep.name.c_str());
    install_stop_handlers();
    FinalRunRecord reproduced = run_final(spec, plan, *choice.backend, *trial, store.folds(trial->id),
                                          "reproduce", [] { return stop_requested(); });

    std::optional<FinalRunRecord> recorded;
    for (const auto& run : store.final_runs(sweep.id)) {
      if (run.trial_id == trial->id && run.kind == "final") recorded = run;
    }
    if (!recorded) reproduced.kind = "final";  // the first score of this trial becomes its record
    reproduced.id = store.record_final_run(reproduced);

    auto column = [](const FinalRunRecord& r) {
      return std::vector<std::string>{std::to_string(r.epochs), format_metric(r.test.accuracy),
                                      format_metric(r.test.f1_macro), fmt::format("{:.6f}", r.test.loss),
                                      r.weights_hash, r.device};
    };
    const std::vector<std::string> labels = {"epochs", "test accuracy", "test f1_macro", "test loss",
                                             "weights hash", "device"};
    std::vector<std::vector<std::string>> rows;
    const auto now = column(reproduced);
    const auto then = recorded ? column(*recorded) : std::vector<std::string>(labels.size(), "-");
    for (std::size_t i = 0; i < labels.size(); ++i) rows.push_back({labels[i], then[i], now[i]});
    std::printf("trial %d of sweep '%s'\n%s", trial->number, sweep.name.c_str(),
                render_table({"", "recorded", "reproduced"}, rows).c_str());
    std::printf("\nreproduced confusion (held-out test rows):\n%s",
                render_confusion(reproduced.confusion, sweep.class_names).c_str());
    if (!recorded) {
      std::printf("\nno recorded test score for trial %d: this one is now its record\n", trial->number);
      return static_cast<int>(exit_ok);
    }
    if (same_result(*recorded, reproduced)) {
      std::printf("\nidentical: same epochs, test loss, confusion matrix and weights\n");
      return static_cast<int>(exit_ok);
    }
    if (on_cpu(recorded->device) && on_cpu(reproduced.device)) {
      std::printf("\nDIFFERENT: the CPU backend must reproduce its own results exactly\n");
      return static_cast<int>(exit_mismatch);
    }
    // Across devices (GPU vs CPU, or two GPU models) float rounding differs, so training paths
    // drift apart; the test score must still agree within kCrossDeviceTolerance.
    const double difference = std::abs(reproduced.test.accuracy - recorded->test.accuracy);
    const bool close = difference <= kCrossDeviceTolerance;
    std::printf("\n%s: recorded on %s, reproduced on %s; test accuracy differs by %.4f (tolerance "
                "across devices %.2f)\n", close ? "close" : "DIFFERENT", recorded->device.c_str(),
                reproduced.device.c_str(), difference, kCrossDeviceTolerance);
    return static_cast<int>(close ? exit_ok : exit_mismatch);
  };
  return verb;
}

}  // namespace eegsweep::cli
