#include "engine/sched/unit_plan.h"

#include <stdexcept>

namespace eegsweep {

UnitPlan::UnitPlan(Order order) : order_(order) {}

UnitPlan::Key UnitPlan::key(const ActiveTrial& trial, int fold) const {
  return order_ == Order::trial_major ? Key{trial.sequence, fold} : Key{fold, trial.sequence};
}

UnitPlan::Step UnitPlan::next_step() const {
  if (!ready_.empty()) {
    // Fold-major: a later fold waits while another trial could still bring a first fold.
    const bool first_folds_first = order_ == Order::fold_major && more_trials_;
    if (!first_folds_first || ready_.begin()->second.fold == 0) return Step::run_unit;
    return Step::claim_trial;
  }
  if (more_trials_) return Step::claim_trial;
  return in_flight_ > 0 ? Step::wait : Step::done;
}

Unit UnitPlan::take_unit() {
  if (ready_.empty()) throw std::logic_error("UnitPlan::take_unit: no unit is ready");
  const Unit unit = ready_.begin()->second;
  ready_.erase(ready_.begin());
  ++in_flight_;
  return unit;
}

void UnitPlan::add_trial(std::int64_t trial_id, int trial_number, const std::vector<int>& folds) {
  if (folds.empty()) return;
  ActiveTrial trial;
  trial.sequence = next_sequence_++;
  trial.folds_left.insert(folds.begin(), folds.end());
  for (int fold : trial.folds_left) ready_.emplace(key(trial, fold), Unit{trial_id, trial_number, fold});
  active_[trial_id] = std::move(trial);
}

void UnitPlan::no_more_trials() {
  more_trials_ = false;
  more_after_a_finish_ = false;
}

void UnitPlan::no_trials_until_one_finishes() {
  more_trials_ = false;
  more_after_a_finish_ = true;
}

void UnitPlan::trial_finished() {
  if (!more_after_a_finish_) return;
  more_trials_ = true;
  more_after_a_finish_ = false;
}

bool UnitPlan::unit_returned(const Unit& unit) {
  if (in_flight_ <= 0) throw std::logic_error("UnitPlan::unit_returned: no unit is in flight");
  --in_flight_;
  return is_active(unit.trial_id);
}

bool UnitPlan::fold_stored(const Unit& unit) {
  auto it = active_.find(unit.trial_id);
  if (it == active_.end()) return false;
  it->second.folds_left.erase(unit.fold);
  if (!it->second.folds_left.empty()) return false;
  active_.erase(it);
  return true;
}

void UnitPlan::cancel_trial(std::int64_t trial_id) {
  auto it = active_.find(trial_id);
  if (it == active_.end()) return;
  for (int fold : it->second.folds_left) ready_.erase(key(it->second, fold));
  active_.erase(it);
}

bool UnitPlan::is_active(std::int64_t trial_id) const { return active_.count(trial_id) > 0; }

std::vector<std::int64_t> UnitPlan::active_trials() const {
  std::vector<std::int64_t> ids;
  for (const auto& [id, trial] : active_) ids.push_back(id);
  return ids;
}

std::set<int> UnitPlan::folds_left(std::int64_t trial_id) const {
  auto it = active_.find(trial_id);
  return it == active_.end() ? std::set<int>{} : it->second.folds_left;
}

}  // namespace eegsweep
