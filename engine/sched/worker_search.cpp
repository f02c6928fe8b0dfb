#include "engine/sched/worker_search.h"

#include "engine/sched/rounds.h"

namespace eegsweep {

std::unique_ptr<TrialSource> make_worker_trial_source(const SweepSpec& spec) {
  if (spec.method == "bayes" || spec.method == "tpe") {
    return std::make_unique<TpeSearch>(spec, /*round_size=*/1, /*rounds=*/false);
  }
  return std::make_unique<ExpandedSearch>(spec);
}

}  // namespace eegsweep
