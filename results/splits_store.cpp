// The sweep's splits (issue 11): written once per sweep, read back by `show` and other tools.

#include "results/detail/store_impl.h"
#include "results/store.h"

#include <nlohmann/json.hpp>

namespace eegsweep {

namespace store_detail {

void insert_final_run_groups(SQLite::Database& db, std::int64_t final_run_id,
                             const std::vector<std::pair<std::string, ConfusionMatrix>>& groups) {
  SQLite::Statement insert(db,
                           "INSERT INTO final_run_groups (final_run_id, group_name, rows, accuracy, "
                           "recall_macro, confusion) VALUES (?, ?, ?, ?, ?, ?)");
  for (const auto& [name, confusion] : groups) {
    // A group (a recording) often holds one class only: its balanced accuracy is the mean recall
    // over the classes it has, not a mean in which every absent class counts 0.
    nlohmann::json cells = nlohmann::json::array();
    std::int64_t rows = 0, correct = 0;
    double recall_sum = 0;
    int present = 0;
    for (int t = 0; t < confusion.classes; ++t) {
      nlohmann::json row = nlohmann::json::array();
      std::int64_t class_rows = 0;
      for (int p = 0; p < confusion.classes; ++p) {
        row.push_back(confusion.at(t, p));
        class_rows += confusion.at(t, p);
      }
      rows += class_rows;
      correct += confusion.at(t, t);
      if (class_rows > 0) {
        recall_sum += static_cast<double>(confusion.at(t, t)) / static_cast<double>(class_rows);
        ++present;
      }
      cells.push_back(row);
    }
    Metrics m;
    m.accuracy = rows == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(rows);
    m.recall_macro = present == 0 ? 0.0 : recall_sum / present;
    insert.bind(1, final_run_id);
    insert.bind(2, name);
    insert.bind(3, rows);
    insert.bind(4, m.accuracy);
    insert.bind(5, m.recall_macro);
    insert.bind(6, cells.dump());
    insert.exec();
    insert.reset();
  }
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
      SQLite::Statement fold(db, "INSERT INTO split_folds (sweep_id, fold, held_out_group) VALUES (?, ?, ?)");
      for (std::size_t f = 0; f < splits.held_out_groups.size(); ++f) {
        fold.bind(1, sweep_id);
        fold.bind(2, static_cast<int>(f));
        if (splits.held_out_groups[f].empty()) fold.bind(3);
        else fold.bind(3, splits.held_out_groups[f]);
        fold.exec();
        fold.reset();
      }
      SQLite::Statement row(db,
                            "INSERT INTO split_rows (sweep_id, row, role, fold, group_name, label) "
                            "VALUES (?, ?, ?, ?, ?, ?)");
      for (const SplitRow& r : splits.rows) {
        row.bind(1, sweep_id);
        row.bind(2, r.row);
        row.bind(3, r.fold < 0 ? "test" : "cv");
        if (r.fold < 0) row.bind(4);
        else row.bind(4, r.fold);
        if (r.group.empty()) row.bind(5);
        else row.bind(5, r.group);
        row.bind(6, r.label);
        row.exec();
        row.reset();
      }
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
