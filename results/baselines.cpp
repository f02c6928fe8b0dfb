// baseline_folds: the sweep's linear baseline on the same folds (schema.sql, issue 11).
#include <nlohmann/json.hpp>

#include "results/detail/record_rows.h"
#include "results/detail/store_impl.h"

namespace eegsweep {

namespace {

ConfusionMatrix parse_confusion(const std::string& text, const std::string& where) {
  const nlohmann::json rows = nlohmann::json::parse(text, nullptr, false);
  if (!rows.is_array()) throw StoreError(where + ": baseline confusion is not a JSON array");
  ConfusionMatrix confusion(static_cast<int>(rows.size()));
  for (std::size_t t = 0; t < rows.size(); ++t) {
    if (!rows[t].is_array() || rows[t].size() != rows.size()) {
      throw StoreError(where + ": baseline confusion is not square");
    }
    for (std::size_t p = 0; p < rows.size(); ++p) {
      if (!rows[t][p].is_number_integer()) throw StoreError(where + ": baseline confusion cell is not a count");
      confusion.counts[t * rows.size() + p] = rows[t][p].get<std::int64_t>();
    }
  }
  return confusion;
}

}  // namespace

void Store::record_baseline(std::int64_t sweep_id, const std::vector<BaselineFoldRecord>& folds) {
  store_detail::guarded(*impl_, "record_baseline", [&] {
    store_detail::write_transaction(*impl_, [&] {
      if (!impl_->db->tableExists("baseline_folds")) return;  // a version 1 database
      store_detail::insert_rows(*impl_->db, store_detail::baseline_fold_rows(sweep_id, folds),
                                /*skip_existing=*/true);
    });
  });
}

std::vector<BaselineFoldRecord> Store::baseline(std::int64_t sweep_id) {
  return store_detail::guarded(*impl_, "baseline", [&] {
    std::vector<BaselineFoldRecord> out;
    if (!impl_->db->tableExists("baseline_folds")) return out;  // a version 1 database
    SQLite::Statement select(*impl_->db,
                             "SELECT model, fold, train_rows, val_rows, epochs, loss, accuracy, "
                             "precision_macro, recall_macro, f1_macro, per_class, confusion, "
                             "weights_hash, seconds FROM baseline_folds WHERE sweep_id = ? "
                             "ORDER BY model, fold");
    select.bind(1, sweep_id);
    while (select.executeStep()) {
      BaselineFoldRecord f;
      f.model = select.getColumn(0).getString();
      f.fold = select.getColumn(1).getInt();
      f.train_rows = select.getColumn(2).getInt();
      f.val_rows = select.getColumn(3).getInt();
      f.epochs = select.getColumn(4).getInt();
      f.scores.loss = store_detail::column_real(select.getColumn(5));
      f.scores.accuracy = store_detail::column_real(select.getColumn(6));
      f.scores.precision_macro = store_detail::column_real(select.getColumn(7));
      f.scores.recall_macro = store_detail::column_real(select.getColumn(8));
      f.scores.f1_macro = store_detail::column_real(select.getColumn(9));
      store_detail::read_per_class(select.getColumn(10).getString(), f.scores);
      f.confusion = parse_confusion(select.getColumn(11).getString(),
                                    impl_->path + ": sweep " + std::to_string(sweep_id));
      f.weights_hash = select.getColumn(12).getString();
      f.seconds = select.getColumn(13).getDouble();
      out.push_back(std::move(f));
    }
    return out;
  });
}

}  // namespace eegsweep
