// The sweep's splits (issue 11): written once per sweep, read back by `show` and other tools.

#include "results/detail/record_rows.h"
#include "results/detail/store_impl.h"
#include "results/store.h"

namespace eegsweep {

namespace store_detail {

void insert_final_run_groups(SQLite::Database& db, std::int64_t final_run_id,
                             const std::vector<std::pair<std::string, ConfusionMatrix>>& groups) {
  insert_rows(db, final_run_group_rows(final_run_id, groups));
}

}  // namespace store_detail

using store_detail::column_text;
using store_detail::guarded;

void Store::record_splits(std::int64_t sweep_id, const SweepSplits& splits) {
  guarded(*impl_, "record_splits", [&] {
    store_detail::write_transaction(*impl_, [&] {
      SQLite::Database& db = *impl_->db;
      SQLite::Statement exists(db, "SELECT 1 FROM split_folds WHERE sweep_id = ? LIMIT 1");
      exists.bind(1, sweep_id);
      if (exists.executeStep()) return;  // splits derive from the sweep's identity: same as before
      store_detail::insert_rows(db, store_detail::split_fold_rows(sweep_id, splits));
      store_detail::insert_rows(db, store_detail::split_row_rows(sweep_id, splits));
    });
  });
}

std::vector<std::string> Store::held_out_groups(std::int64_t sweep_id) {
  return guarded(*impl_, "held_out_groups", [&] {
    std::vector<std::string> groups;
    if (!impl_->db->tableExists("split_folds")) return groups;  // a version-1 store, read-only
    SQLite::Statement select(*impl_->db,
                             "SELECT fold, held_out_group FROM split_folds WHERE sweep_id = ? ORDER BY fold");
    select.bind(1, sweep_id);
    while (select.executeStep()) {
      const auto fold = static_cast<std::size_t>(select.getColumn(0).getInt());
      if (groups.size() <= fold) groups.resize(fold + 1);
      groups[fold] = column_text(select.getColumn(1));
    }
    return groups;
  });
}

std::vector<std::vector<FoldGroup>> Store::fold_groups(std::int64_t sweep_id) {
  return guarded(*impl_, "fold_groups", [&] {
    std::vector<std::vector<FoldGroup>> folds;
    if (!impl_->db->tableExists("split_rows")) return folds;
    SQLite::Statement select(*impl_->db,
                             "SELECT fold, group_name, count(*) FROM split_rows WHERE sweep_id = ? AND "
                             "role = 'cv' AND group_name IS NOT NULL AND group_name <> '' "
                             "GROUP BY fold, group_name ORDER BY fold, group_name");
    select.bind(1, sweep_id);
    while (select.executeStep()) {
      const auto fold = static_cast<std::size_t>(select.getColumn(0).getInt());
      if (folds.size() <= fold) folds.resize(fold + 1);
      folds[fold].push_back({select.getColumn(1).getString(), select.getColumn(2).getInt64()});
    }
    return folds;
  });
}

std::vector<FinalRunGroup> Store::final_run_groups(std::int64_t final_run_id) {
  return guarded(*impl_, "final_run_groups", [&] {
    std::vector<FinalRunGroup> groups;
    if (!impl_->db->tableExists("final_run_groups")) return groups;
    SQLite::Statement select(*impl_->db,
                             "SELECT group_name, rows, accuracy, recall_macro, confusion FROM "
                             "final_run_groups WHERE final_run_id = ? ORDER BY group_name");
    select.bind(1, final_run_id);
    while (select.executeStep()) {
      FinalRunGroup g;
      g.group = select.getColumn(0).getString();
      g.rows = select.getColumn(1).getInt64();
      g.accuracy = select.getColumn(2).getDouble();
      g.balanced_accuracy = select.getColumn(3).getDouble();
      const auto cells = nlohmann::json::parse(column_text(select.getColumn(4)));
      g.confusion = ConfusionMatrix(static_cast<int>(cells.size()));
      for (std::size_t t = 0; t < cells.size(); ++t) {
        for (std::size_t p = 0; p < cells[t].size(); ++p) {
          g.confusion.counts[t * cells.size() + p] = cells[t][p].get<std::int64_t>();
        }
      }
      groups.push_back(std::move(g));
    }
    return groups;
  });
}

}  // namespace eegsweep
