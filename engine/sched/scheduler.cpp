#include "engine/sched/scheduler.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <new>
#include <set>
#include <thread>

#include "engine/data/dataset.h"
#include "engine/model/fit.h"
#include "engine/sched/backend_choice.h"
#include "engine/sched/final_run.h"
#include "engine/sched/progress.h"
#include "engine/sched/stop_signal.h"
#include "engine/sched/sweep_checks.h"
#include "engine/sched/sweep_plan.h"

#ifndef EEGSWEEP_VERSION
#define EEGSWEEP_VERSION "dev"
#endif

namespace eegsweep {

std::string results_database_path(const SweepSpec& spec) {
  return spec.results_path.empty() ? "results/" + spec.name + ".db" : spec.results_path;
}

static std::string host_name() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof(buffer) - 1) != 0) return "unknown-host";
  return buffer;
}

std::string this_process_owner() { return host_name() + ":" + std::to_string(getpid()); }

bool owner_is_alive(const std::string& owner) {
  const auto colon = owner.rfind(':');
  if (colon == std::string::npos) return false;
  // A process on another host cannot be checked from here: assume it still works on its trials.
  if (owner.substr(0, colon) != host_name()) return true;
  const pid_t pid = static_cast<pid_t>(std::stol(owner.substr(colon + 1)));
  return kill(pid, 0) == 0 || errno == EPERM;
}

namespace {

struct Unit {
  std::int64_t trial_id = 0;
  int trial_number = 0;
  int fold = 0;
};

struct UnitResult {
  Unit unit;
  enum class Outcome { completed, failed, interrupted } outcome = Outcome::completed;
  std::string error;
  FoldRecord record;
};

struct ActiveTrial {
  TrialRecord record;
  TrialSetup setup;
  std::set<int> remaining;  // folds not yet stored
  int in_flight = 0;
};

// A fixed pool of worker threads, one per backend slot. Workers only train; every result comes
// back to the coordinating thread, which alone writes to the store.
class WorkerPool {
 public:
  using Job = std::function<UnitResult()>;

  explicit WorkerPool(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closing_ = true;
    }
    jobs_ready_.notify_all();
    for (auto& t : threads_) t.join();
  }
  void submit(Job job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    jobs_ready_.notify_one();
  }
  UnitResult next_result() {
    std::unique_lock<std::mutex> lock(mutex_);
    results_ready_.wait(lock, [this] { return !results_.empty(); });
    UnitResult r = std::move(results_.front());
    results_.pop_front();
    return r;
  }

 private:
  void work() {
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        jobs_ready_.wait(lock, [this] { return closing_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      UnitResult result = job();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        results_.push_back(std::move(result));
      }
      results_ready_.notify_one();
    }
  }

  std::mutex mutex_;
  std::condition_variable jobs_ready_, results_ready_;
  std::deque<Job> jobs_;
  std::deque<UnitResult> results_;
  std::vector<std::thread> threads_;
  bool closing_ = false;
};

UnitResult train_unit(const SweepSpec& spec, const SweepPlan& plan, Backend& backend,
                      const Unit& unit, TrialSetup setup) {
  UnitResult result;
  result.unit = unit;
  try {
    const auto start = std::chrono::steady_clock::now();
    const FoldData data = fold_data(spec, plan, unit.fold);
    setup.train.seed = fold_seed(setup.train.seed, unit.fold);
    auto trainer = backend.create_trainer(setup.model, setup.train, data);
    const FitResult fit_result =
        fit(*trainer, data, setup.train, setup.model.num_classes, [] { return stop_requested(); });
    FoldRecord& r = result.record;
    r.fold = unit.fold;
    r.train_rows = static_cast<int>(data.train_rows.size());
    r.val_rows = static_cast<int>(data.val_rows.size());
    r.best_epoch = fit_result.best_epoch;
    r.val = fit_result.best;
    r.confusion = fit_result.best_confusion;
    r.epochs = fit_result.history;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.backend_detail = trainer->describe();
  } catch (const Interrupted&) {
    result.outcome = UnitResult::Outcome::interrupted;
  } catch (const std::bad_alloc&) {
    result.outcome = UnitResult::Outcome::failed;
    result.error = fmt::format("fold {}: out of memory", unit.fold + 1);
  } catch (const std::exception& e) {
    result.outcome = UnitResult::Outcome::failed;
    result.error = fmt::format("fold {}: {}", unit.fold + 1, e.what());
  }
  return result;
}

// Mean and population standard deviation of the sweep metric over a trial's stored folds.
std::pair<double, double> cv_statistics(const std::vector<FoldRecord>& folds,
                                        const std::string& metric) {
  double sum = 0;
  for (const auto& f : folds) sum += metric_value(f.val, metric);
  const double mean = sum / static_cast<double>(folds.size());
  double squares = 0;
  for (const auto& f : folds) squares += std::pow(metric_value(f.val, metric) - mean, 2);
  return {mean, std::sqrt(squares / static_cast<double>(folds.size()))};
}

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

// Trials of the expansion not stored yet get numbers after the stored ones, so that editing a
// grid never renumbers finished trials.
std::vector<TrialRecord> trials_to_add(const SweepSpec& spec, const std::vector<Trial>& expanded,
                                       const std::vector<TrialRecord>& stored) {
  std::set<std::string> known;
  int next_number = 1;
  for (const auto& t : stored) {
    known.insert(t.params_hash);
    next_number = std::max(next_number, t.number + 1);
  }
  std::vector<TrialRecord> records;
  for (const auto& trial : expanded) {
    if (known.count(trial.params_hash)) continue;
    TrialRecord r;
    r.number = stored.empty() ? trial.number : next_number++;
    r.params_json = trial.params_json;
    r.params_hash = trial.params_hash;
    r.seed = trial_seed(spec, trial.params_hash);
    for (const auto& [name, value] : trial.values) r.params.emplace_back(name, to_string(value));
    records.push_back(std::move(r));
  }
  return records;
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
  backend.set_dataset(data);
  const std::vector<Trial> expanded = expand_trials(spec);
  check_timesteps_fit(spec, expanded, *data);

  Store store(summary.db_path);
  summary.sweep_id = store.open_sweep(sweep_info(spec, *data, backend.name()), options.fresh);
  store.add_trials(summary.sweep_id, trials_to_add(spec, expanded, store.trials(summary.sweep_id)));

  const int folds = static_cast<int>(plan.folds.size());
  const std::vector<TrialRecord> initial = store.trials(summary.sweep_id);
  int trials_done = 0, folds_done = 0;
  for (const auto& t : initial) {
    if (t.status == TrialStatus::completed || t.status == TrialStatus::failed) ++trials_done;
    folds_done += t.status == TrialStatus::failed ? folds : t.folds_done;
  }
  Progress progress(static_cast<int>(initial.size()), static_cast<int>(initial.size()) * folds,
                    options.interactive);
  progress.log(choice.reason);
  progress.log(fmt::format("sweep '{}' → {} ({} trials × {} folds, {} rows, {} test rows held out)",
                           spec.name, summary.db_path, initial.size(), folds, data->rows,
                           plan.holdout.test.size()));
  if (trials_done > 0) {
    progress.log(fmt::format("resuming: {} trials already finished", trials_done));
  }
  progress.set_done(trials_done, folds_done);
  if (auto best = store.best_trial(summary.sweep_id); best && best->cv_mean) {
    progress.set_best(best->number, *best->cv_mean);
  }

  int concurrency = options.max_concurrent > 0   ? options.max_concurrent
                    : spec.max_concurrent > 0 ? spec.max_concurrent
                                              : backend.concurrency();
  concurrency = std::max(1, concurrency);
  const std::string owner = this_process_owner();

  std::map<std::int64_t, ActiveTrial> active;
  std::deque<Unit> ready;
  int in_flight = 0;
  bool no_more_trials = false;
  {
    WorkerPool pool(concurrency);

    auto finish = [&](ActiveTrial& t, TrialStatus status, const std::string& error) {
      std::optional<double> mean, std;
      if (status == TrialStatus::completed) {
        std::tie(mean, std) = cv_statistics(store.folds(t.record.id), spec.metric.name);
      }
      store.finish_trial(t.record.id, status, error, mean, std);
      progress.trial_finished(t.record.number, status_name(status), mean);
      if (status == TrialStatus::failed) progress.log("  " + error);
      if (auto best = store.best_trial(summary.sweep_id); best && best->cv_mean) {
        progress.set_best(best->number, *best->cv_mean);
      }
    };

    // Claims the next trial and queues its missing folds; false when none is left.
    auto claim_next = [&]() -> bool {
      auto claimed = store.claim_trial(summary.sweep_id, owner, owner_is_alive);
      if (!claimed) return false;
      ActiveTrial t;
      t.record = *claimed;
      for (int f = 0; f < folds; ++f) t.remaining.insert(f);
      for (int f : store.completed_folds(t.record.id)) t.remaining.erase(f);
      try {
        t.setup = trial_setup(spec, trial_params_from_json(t.record.params_json), *data,
                              t.record.seed);
      } catch (const std::exception& e) {
        finish(t, TrialStatus::failed, e.what());
        return true;
      }
      if (t.remaining.empty()) {
        finish(t, TrialStatus::completed, "");
        return true;
      }
      for (int f : t.remaining) ready.push_back(Unit{t.record.id, t.record.number, f});
      active.emplace(t.record.id, std::move(t));
      return true;
    };

    for (;;) {
      while (!stop_requested() && in_flight < concurrency) {
        if (ready.empty()) {
          if (no_more_trials || !claim_next()) {
            no_more_trials = true;
            break;
          }
          continue;
        }
        const Unit unit = ready.front();
        ready.pop_front();
        auto it = active.find(unit.trial_id);
        if (it == active.end()) continue;  // its trial failed meanwhile
        ++it->second.in_flight;
        ++in_flight;
        TrialSetup setup = it->second.setup;
        pool.submit([&spec, &plan, &backend, unit, setup] {
          return train_unit(spec, plan, backend, unit, setup);
        });
      }
      if (in_flight == 0) break;

      UnitResult result = pool.next_result();
      --in_flight;
      auto it = active.find(result.unit.trial_id);
      if (it == active.end()) continue;  // the trial already failed on another fold
      ActiveTrial& trial = it->second;
      --trial.in_flight;
      switch (result.outcome) {
        case UnitResult::Outcome::completed:
          store.record_fold(trial.record.id, result.record);
          trial.remaining.erase(result.unit.fold);
          progress.fold_finished(trial.record.number, result.unit.fold,
                                 metric_value(result.record.val, spec.metric.name),
                                 result.record.seconds);
          if (trial.remaining.empty()) {
            finish(trial, TrialStatus::completed, "");
            active.erase(it);
          }
          break;
        case UnitResult::Outcome::failed:
          finish(trial, TrialStatus::failed, result.error);
          active.erase(it);
          break;
        case UnitResult::Outcome::interrupted:
          break;
      }
    }
  }

  // Interrupted: what is stored stays; the unfinished trials go back to pending for a resume.
  for (auto& [id, trial] : active) store.release_trial(id);
  summary.interrupted = stop_requested();
  progress.finish();

  for (const auto& t : store.trials(summary.sweep_id)) {
    ++summary.trials_total;
    if (t.status == TrialStatus::completed) ++summary.completed;
    else if (t.status == TrialStatus::failed) ++summary.failed;
    else ++summary.unfinished;
  }
  summary.best = store.best_trial(summary.sweep_id);
  if (summary.interrupted || summary.unfinished > 0 || !options.final_run || !summary.best) {
    return summary;
  }

  for (const auto& run : store.final_runs(summary.sweep_id)) {
    if (run.kind == "final" && run.trial_id == summary.best->id) summary.final_run = run;
  }
  if (summary.final_run || plan.holdout.test.empty()) return summary;

  progress.log(fmt::format("final run: trial {} retrained on all {} non-test rows, scored on {} test rows",
                           summary.best->number, plan.holdout.train.size(), plan.holdout.test.size()));
  try {
    FinalRunRecord run = run_final(spec, plan, backend, *summary.best, store.folds(summary.best->id),
                                   "final", [] { return stop_requested(); });
    run.id = store.record_final_run(run);
    summary.final_run = run;
  } catch (const Interrupted&) {
    summary.interrupted = true;
  } catch (const std::exception& e) {
    // The sweep's own results are complete and stored; only the test score is missing, and
    // `sweep reproduce --best` can compute it later.
    summary.final_run_error = e.what();
    progress.log("final run failed: " + summary.final_run_error);
  }
  return summary;
}

}  // namespace eegsweep
