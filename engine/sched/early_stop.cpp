#include "engine/sched/early_stop.h"

#include <fmt/format.h>

#include "engine/search/forgiving.h"

namespace eegsweep {

EarlyStopRules::EarlyStopRules(const SweepSpec& spec)
    : metric_(spec.metric.name), maximize_(spec.metric.maximize) {
  const EarlyTerminateSpec& e = spec.early_terminate;
  hyperband_ = e.type == "hyperband";
  forgiving_ = e.type == "cv_forgiving" || (hyperband_ && e.forgiving);
  hyperband_settings_.min_iter = e.min_iter;
  hyperband_settings_.max_iter = e.max_iter;
  hyperband_settings_.s = e.s;
  hyperband_settings_.eta = e.eta;
  hyperband_settings_.strict = e.strict;
}

double EarlyStopRules::loss_of(const Metrics& metrics) const {
  const double v = metric_value(metrics, metric_);
  return maximize_ ? -v : v;
}

PruneReference EarlyStopRules::reference(TrialStore& store) {
  PruneReference reference;
  std::optional<double> best;
  for (const TrialRecord& t : store.trials()) {
    if (t.status != TrialStatus::completed && t.status != TrialStatus::pruned) continue;
    auto it = finished_.find(t.id);
    if (it == finished_.end()) {
      Finished f;
      for (const FoldRecord& fold : store.folds(t.id)) {
        f.fold_losses.push_back(loss_of(fold.val));
        if (fold.fold != 0) continue;
        for (const EpochRecord& e : fold.epochs) f.first_fold_curve.push_back(loss_of(e.val));
      }
      it = finished_.emplace(t.id, std::move(f)).first;
    }
    if (!it->second.first_fold_curve.empty()) reference.first_fold_curves.push_back(it->second.first_fold_curve);
    if (t.status == TrialStatus::completed && t.cv_mean) {
      const double loss = maximize_ ? -*t.cv_mean : *t.cv_mean;
      if (!best || loss < *best) {  // ties: the lower trial number (trials() is by number)
        best = loss;
        reference.incumbent_fold_losses = it->second.fold_losses;
        reference.incumbent_number = t.number;
      }
    }
  }
  return reference;
}

std::vector<int> EarlyStopRules::first_fold_bands(int epochs) const {
  return hyperband_ ? hyperband_bands(hyperband_settings_, epochs) : std::vector<int>{};
}

PruneCheck EarlyStopRules::first_fold_check(const PruneReference& reference, int epochs) const {
  if (!hyperband_) return {};
  const std::vector<int> bands = hyperband_bands(hyperband_settings_, epochs);
  if (bands.empty()) return {};
  return [this, bands, curves = reference.first_fold_curves](
             const std::vector<EpochRecord>& history) -> std::optional<std::string> {
    // Judged once per band, when the curve reaches it (the reference does not change meanwhile).
    if (std::find(bands.begin(), bands.end(), static_cast<int>(history.size())) == bands.end()) return std::nullopt;
    std::vector<double> curve;
    for (const EpochRecord& e : history) curve.push_back(loss_of(e.val));
    const auto stop = hyperband_check(bands, hyperband_settings_.eta, hyperband_settings_.strict, curve, curves);
    if (!stop) return std::nullopt;
    const double sign = maximize_ ? -1 : 1;
    return fmt::format("pruned by hyperband at band {} (fold 1, epoch {}): {} {:.6g} worse than the cut-off {:.6g} "
                       "(eta {:g}, {})",
                       stop->band, history.size(), metric_, sign * stop->value, sign * stop->cutoff,
                       hyperband_settings_.eta, hyperband_settings_.strict ? "strict" : "not strict");
  };
}

std::optional<std::string> EarlyStopRules::after_fold(const PruneReference& reference, const FoldRecord& fold) const {
  if (!forgiving_) return std::nullopt;
  const auto stop = forgiving_check(loss_of(fold.val), reference.incumbent_fold_losses);
  if (!stop) return std::nullopt;
  const double sign = maximize_ ? -1 : 1;
  return fmt::format("pruned by cv_forgiving after fold {}: {} {:.6g} worse than the worst fold ({:.6g}) of trial {}",
                     fold.fold + 1, metric_, sign * stop->value, sign * stop->cutoff, reference.incumbent_number);
}

}  // namespace eegsweep
