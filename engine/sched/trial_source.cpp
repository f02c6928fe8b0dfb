#include "engine/sched/trial_source.h"

#include <algorithm>
#include <set>
#include <string>

#include "engine/sched/rounds.h"
#include "engine/sched/sweep_plan.h"

namespace eegsweep {

ExpandedSearch::ExpandedSearch(const SweepSpec& spec) {
  for (const Trial& trial : expand_trials(spec)) {
    TrialRecord r;
    r.number = trial.number;
    r.params_json = trial.params_json;
    r.params_hash = trial.params_hash;
    r.seed = trial_seed(spec, trial.params_hash);
    for (const auto& [name, value] : trial.values) r.params.emplace_back(name, to_string(value));
    expanded_.push_back(std::move(r));
  }
}

std::vector<TrialRecord> ExpandedSearch::suggest(const std::vector<TrialRecord>& stored) {
  std::set<std::string> known;
  int next_number = 1;
  for (const auto& t : stored) {
    known.insert(t.params_hash);
    next_number = std::max(next_number, t.number + 1);
  }
  std::vector<TrialRecord> records;
  for (const TrialRecord& trial : expanded_) {
    if (known.count(trial.params_hash)) continue;
    records.push_back(trial);
    if (!stored.empty()) records.back().number = next_number++;
  }
  return records;
}

std::unique_ptr<TrialSource> make_trial_source(const SweepSpec& spec, int slots) {
  if (spec.method == "bayes" || spec.method == "tpe") return std::make_unique<TpeSearch>(spec, slots);
  auto expanded = std::make_unique<ExpandedSearch>(spec);
  if (!spec.early_terminate.type.empty()) return std::make_unique<RoundedSearch>(std::move(expanded), slots);
  return expanded;
}

}  // namespace eegsweep
