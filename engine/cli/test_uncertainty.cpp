#include "engine/cli/test_uncertainty.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/data/random.h"
#include "engine/data/seed_streams.h"

namespace eegsweep::cli {

TestUncertainty test_uncertainty(Store& store, const SweepInfo& sweep, const FinalRunRecord& run) {
  TestUncertainty u;
  std::vector<ConfusionMatrix> units;
  QueryResult groups;
  try {
    groups = store.query(
        "SELECT group_name, rows, accuracy, recall_macro, confusion FROM final_run_groups "
        "WHERE final_run_id = ? ORDER BY group_name",
        {run.id});
  } catch (const StoreError&) {
    // A store from before final_run_groups: resample rows.
  }
  for (const auto& row : groups.rows) {
    TestGroupScore g;
    g.group = sql_value_text(row[0]);
    g.rows = std::get<std::int64_t>(row[1]);
    g.accuracy = std::holds_alternative<double>(row[2]) ? std::get<double>(row[2]) : 0.0;
    g.balanced_accuracy = std::holds_alternative<double>(row[3]) ? std::get<double>(row[3]) : 0.0;
    const auto cells = nlohmann::json::parse(sql_value_text(row[4]));
    ConfusionMatrix m(static_cast<int>(cells.size()));
    for (std::size_t t = 0; t < cells.size(); ++t) {
      for (std::size_t p = 0; p < cells[t].size(); ++p) {
        m.counts[t * cells.size() + p] = cells[t][p].get<std::int64_t>();
      }
    }
    units.push_back(std::move(m));
    u.groups.push_back(std::move(g));
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
