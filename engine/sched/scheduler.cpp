#include "engine/sched/scheduler.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "engine/data/dataset.h"
#include "engine/sched/backend_choice.h"
#include "engine/sched/final_run.h"
#include "engine/sched/linear_baseline.h"
#include "engine/sched/split_record.h"
#include "engine/sched/process_owner.h"
#include "engine/sched/progress.h"
#include "engine/sched/runner.h"
#include "engine/sched/stop_signal.h"
#include "engine/sched/sweep_checks.h"
#include "engine/sched/sweep_plan.h"
#include "engine/sched/trial_source.h"
#include "engine/sched/trial_store.h"

#ifndef EEGSWEEP_VERSION
#define EEGSWEEP_VERSION "dev"
#endif

namespace eegsweep {

std::string results_database_path(const SweepSpec& spec) {
  return spec.results_path.empty() ? "results/" + spec.name + ".db" : spec.results_path;
}

namespace {

// Recorded so that `reproduce` can re-read the sweep from any working directory: a --set
// data.path was relative to the directory the sweep ran in, so it is stored resolved.
std::string overrides_json(const SweepSpec& spec) {
  std::vector<std::string> overrides;
  for (const auto& o : spec.overrides) {
    overrides.push_back(o.rfind("data.path=", 0) == 0
                            ? "data.path=" + std::filesystem::absolute(spec.data.path).lexically_normal().string()
                            : o);
  }
  return nlohmann::json(overrides).dump();
}

}  // namespace

SweepInfo sweep_info(const SweepSpec& spec, const Dataset& data, const std::string& device) {
  SweepInfo info;
  info.name = spec.name;
  info.description = spec.description;
  info.spec_path = std::filesystem::absolute(spec.source_path).lexically_normal().string();
  info.spec_text = spec.source_text;
  info.identity_hash = spec.identity_hash();
  info.overrides_json = overrides_json(spec);
  info.dataset_source = data.source;
  info.dataset_hash = dataset_hash(data);
  info.dataset_rows = static_cast<std::int64_t>(data.rows);
  info.dataset_features = static_cast<std::int64_t>(data.features);
  info.class_names = data.class_names;
  info.metric_name = spec.metric.name;
  info.maximize = spec.metric.maximize;
  info.seed = spec.seed;
  info.engine_version = EEGSWEEP_VERSION;
  info.host = host_name();
  info.device = device;
  return info;
}

namespace {

// The progress display, told what earlier runs already finished.
Progress start_progress(const SweepSpec& spec, const RunOptions& options, const SweepPlan& plan,
                        const std::string& db_path, const std::string& backend_reason,
                        const std::vector<TrialRecord>& trials, TrialStore& store, int expected_trials) {
  const int folds = static_cast<int>(plan.folds.size());
  int trials_done = 0, folds_done = 0;
  for (const auto& t : trials) {
    if (t.status == TrialStatus::completed || t.status == TrialStatus::failed ||
        t.status == TrialStatus::pruned)
      ++trials_done;
    folds_done += t.status == TrialStatus::failed ? folds : t.folds_done;
  }
  // An adaptive search adds its trials as it goes: the total is what it expects to try.
  const int total = std::max(static_cast<int>(trials.size()), expected_trials);
  Progress progress(total, total * folds, options.interactive);
  progress.log(backend_reason);
  progress.log(fmt::format("sweep '{}' → {} ({} trials × {} folds, {} rows, {} test rows held out)",
                           spec.name, db_path, total, folds, plan.data->rows,
                           plan.holdout.test.size()));
  if (trials_done > 0) {
    progress.log(fmt::format("resuming: {} trials already finished", trials_done));
  }
  progress.set_done(trials_done, folds_done);
  if (auto best = store.best_trial(); best && best->cv_mean) {
    progress.set_best(best->number, *best->cv_mean);
  }
  return progress;
}

// -j, else resources.max_concurrent, else the backend's own choice; an absurd request (a sweep
// file written for a bigger machine, -j 100000) is reduced to what the backend can use.
int units_at_once(const SweepSpec& spec, const RunOptions& options, const Backend& backend,
                  Progress* progress) {
  const bool from_command_line = options.max_concurrent > 0;
  const int asked = from_command_line        ? options.max_concurrent
                    : spec.max_concurrent > 0 ? spec.max_concurrent
                                              : backend.concurrency();
  const int most = std::max(1, backend.max_concurrency());
  if (asked > most) {
    if (progress) progress->log(fmt::format("{} {} is more units at once than this backend can use (at most {}); "
                             "training {} at once",
                             from_command_line ? "-j" : "resources.max_concurrent", asked, most, most));
    return most;
  }
  return std::max(1, asked);
}

void count_trials(Store& store, RunSummary& summary) {
  for (const auto& t : store.trials(summary.sweep_id)) {
    ++summary.trials_total;
    if (t.status == TrialStatus::completed) ++summary.completed;
    else if (t.status == TrialStatus::failed) ++summary.failed;
    else if (t.status == TrialStatus::pruned) ++summary.pruned;
    else ++summary.unfinished;
  }
}

// The best trial retrained on every non-test row and scored on the test rows, once per sweep.
void final_run(const SweepSpec& spec, const SweepPlan& plan, Backend& backend, Store& store,
               Progress& progress, RunSummary& summary) {
  summary.final_run = store.final_run(summary.best->id);
  if (summary.final_run || plan.holdout.test.empty()) return;

  progress.log(fmt::format("final run: trial {} retrained on all {} non-test rows, scored on {} test rows",
                           summary.best->number, plan.holdout.train.size(), plan.holdout.test.size()));
  try {
    FinalRunRecord run = run_final(spec, plan, backend, *summary.best, store.folds(summary.best->id),
                                   "final", [] { return stop_requested(); });
    run.id = store.record_final_run(run);
    summary.final_run = run;
    if (!run.test_groups.empty() && run.test_groups.size() < 10) {
      progress.log(fmt::format("warning: the test set holds {} groups (fewer than 10): its score depends "
                               "mostly on which groups were drawn; `sweep best` shows its bootstrap interval",
                               run.test_groups.size()));
    }
  } catch (const Interrupted&) {
    summary.interrupted = true;
  } catch (const std::exception& e) {
    // The sweep's own results are complete and stored; only the test score is missing, and
    // `sweep reproduce --best` can compute it later.
    summary.final_run_error = e.what();
    progress.log("final run failed: " + summary.final_run_error);
  }
}

// The linear baseline on the same folds (linear_baseline.h), once per sweep.
void record_linear_baseline(const SweepSpec& spec, const SweepPlan& plan, Store& store,
                            std::int64_t sweep_id, Progress& progress) {
  if (!store.baseline(sweep_id).empty()) return;
  const std::vector<BaselineFoldRecord> folds = linear_baseline(spec, plan);
  store.record_baseline(sweep_id, folds);
  progress.log(baseline_summary(folds, spec.metric.name));
}

}  // namespace

RunSummary run_sweep(const SweepSpec& spec, const RunOptions& options) {
  RunSummary summary;
  summary.db_path = results_database_path(spec);

  BackendChoice choice = choose_backend(spec.device);
  Backend& backend = *choice.backend;
  summary.device = backend.name();

  std::shared_ptr<const Dataset> data = load_dataset(spec);
  const SweepPlan plan = plan_sweep(spec, data);
  // A parameter value that cannot fit the data fails the sweep before anything is stored, as
  // `validate` does, instead of failing each of its trials.
  check_timesteps_fit(spec, expand_trials(spec), *data);
  backend.set_dataset(data);

  Store store(summary.db_path);
  summary.sweep_id = store.open_sweep(sweep_info(spec, *data, backend.name()), options.fresh);
  store.record_splits(summary.sweep_id, sweep_splits(plan));
  SqliteTrialStore trials(store, summary.sweep_id);
  const int slots = units_at_once(spec, options, backend, nullptr);
  std::unique_ptr<TrialSource> search = make_trial_source(spec, slots);
  // Asked once before the run, so that the progress display knows the trials a fixed search has.
  trials.add_trials(search->suggest(trials.trials()));

  Progress progress = start_progress(spec, options, plan, summary.db_path, choice.reason,
                                     trials.trials(), trials, search->expected_trials());
  RunnerOptions runner_options;
  runner_options.concurrency = units_at_once(spec, options, backend, &progress);
  runner_options.stop_after_units = options.stop_after_units;
  Runner runner(spec, plan, backend, trials, *search, progress, runner_options);
  summary.units_trained = runner.run();
  summary.interrupted = stop_requested();
  progress.finish();

  count_trials(store, summary);
  summary.best = store.best_trial(summary.sweep_id);
  if (!summary.interrupted) record_linear_baseline(spec, plan, store, summary.sweep_id, progress);
  if (summary.interrupted || summary.unfinished > 0 || !options.final_run || !summary.best) {
    return summary;
  }
  final_run(spec, plan, backend, store, progress, summary);
  return summary;
}

}  // namespace eegsweep
