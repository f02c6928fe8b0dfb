#include "engine/sched/train_unit.h"

#include <fmt/format.h>

#include <chrono>
#include <new>

#include "engine/model/fit.h"
#include "engine/sched/stop_signal.h"

namespace eegsweep {

UnitResult train_unit(const SweepSpec& spec, const SweepPlan& plan, Backend& backend,
                      const Unit& unit, TrialSetup setup, const PruneCheck& prune_check) {
  UnitResult result;
  result.unit = unit;
  try {
    const auto start = std::chrono::steady_clock::now();
    // Under cv.epoch_selection: inner the trainer sees only the inner split of the fold's
    // training rows, and the fold's validation rows score the chosen epoch once, afterwards:
    // they never decide when to stop.
    const bool inner = spec.cv.epoch_selection == "inner";
    const FoldData data = inner ? inner_fold_data(spec, plan, unit.fold) : fold_data(spec, plan, unit.fold);
    setup.train.seed = fold_seed(setup.train.seed, unit.fold);
    auto trainer = backend.create_trainer(setup.model, setup.train, data);
    std::optional<std::string> prune_reason;
    StopTrial stop_trial;
    if (prune_check) {
      stop_trial = [&](const std::vector<EpochRecord>& history) {
        prune_reason = prune_check(history);
        return prune_reason.has_value();
      };
    }
    const FitResult fit_result = fit(*trainer, data, setup.train, setup.model.num_classes,
                                     [] { return stop_requested(); }, stop_trial);
    if (fit_result.pruned) {
      result.outcome = UnitResult::Outcome::pruned;
      result.error = *prune_reason;
    }
    FoldRecord& r = result.record;
    r.fold = unit.fold;
    r.train_rows = static_cast<int>(data.train_rows.size());
    r.best_epoch = fit_result.best_epoch;
    if (inner) {
      const RowList& val_rows = plan.folds.at(static_cast<std::size_t>(unit.fold)).val;
      const Evaluation evaluation = trainer->evaluate(val_rows);  // at the restored best epoch
      r.val_rows = static_cast<int>(val_rows.size());
      r.val = compute_metrics(evaluation.confusion, evaluation.loss);
      r.confusion = evaluation.confusion;
    } else {
      r.val_rows = static_cast<int>(data.val_rows.size());
      r.val = fit_result.best;
      r.confusion = fit_result.best_confusion;
    }
    r.held_out_group = plan.folds.at(static_cast<std::size_t>(unit.fold)).held_out_group;
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

}  // namespace eegsweep
