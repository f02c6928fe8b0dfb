#include "engine/cli/test_uncertainty.h"

#include <fmt/format.h>

#include "engine/data/random.h"
#include "engine/data/seed_streams.h"

namespace eegsweep::cli {

TestUncertainty test_uncertainty(Store& store, const SweepInfo& sweep, const FinalRunRecord& run) {
  TestUncertainty u;
  std::vector<ConfusionMatrix> units;
  for (auto& g : store.final_run_groups(run.id)) {
    u.groups.push_back({g.group, g.rows, g.accuracy, g.balanced_accuracy});
    units.push_back(std::move(g.confusion));
  }
  u.grouped = !units.empty();
  if (!u.grouped) units = row_units(run.confusion);
  if (units.empty()) return u;
  const std::uint64_t seed = derive_seed(sweep.seed, streams::bootstrap);
  u.accuracy = bootstrap_interval(units, false, seed);
  u.balanced_accuracy = bootstrap_interval(units, true, seed);
  if (u.grouped && u.accuracy.units < kFewTestGroups) {
    u.warning = fmt::format("the test set holds {} group{} (fewer than {}): its score depends mostly on "
                            "which groups were drawn; read the interval, not the number",
                            u.accuracy.units, u.accuracy.units == 1 ? "" : "s", kFewTestGroups);
  }
  return u;
}

}  // namespace eegsweep::cli
