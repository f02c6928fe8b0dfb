#include "engine/sched/cluster_evaluation_records.h"

#include "engine/sched/linear_baseline.h"
#include "engine/sched/split_record.h"

namespace eegsweep {

void record_cluster_evaluation(const SweepSpec& spec, const SweepPlan& plan, PgStore& store,
                               std::int64_t sweep_id, Progress& progress) {
  store.record_splits(sweep_id, sweep_splits(plan));
  // At the start rather than at the end as `sweep run` does: the baseline takes a moment, and a
  // worker that starts it holds the lock until it is stored, so no worker (and no crash of one)
  // can leave a sweep without it or compute it twice.
  const std::vector<BaselineFoldRecord> folds =
      store.record_baseline_once(sweep_id, [&] { return linear_baseline(spec, plan); });
  if (!folds.empty()) progress.log(baseline_summary(folds, spec.metric.name));
}

}  // namespace eegsweep
