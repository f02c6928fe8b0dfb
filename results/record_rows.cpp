// The rows of issue 11's evaluation tables, built once for both stores (detail/record_rows.h),
// and the two writers that bind them.

#include "results/detail/record_rows.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "results/detail/pg_connection.h"
#include "results/detail/store_impl.h"

namespace eegsweep::store_detail {

namespace {

RowCell metric_cell(double value) { return std::isnan(value) ? RowCell::null_cell() : RowCell::of(value); }

nlohmann::json layout_json(const TrainedModel& model) {
  const ParameterLayout layout(model.config);
  return {
      {"input_size", model.config.input_size},
      {"timesteps", model.config.timesteps},
      {"hidden_size", model.config.hidden_size},
      {"num_layers", model.config.num_layers},
      {"head", head_name(model.config.head)},
      {"num_classes", model.config.num_classes},
      {"batch_size", model.batch_size},
      {"parameters", layout.total},
      {"weights", "float32 little-endian; per GRU layer W (3 x H x I), R (3 x H x H), bW (3 x H), "
                  "bR (3 x H), gates r, z, n; then the head Wd (C x D), bd (C) (engine/model/weights.h)"},
      {"feature_names", model.feature_names},
      {"class_names", model.class_names},
  };
}

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

}  // namespace

std::string confusion_json(const ConfusionMatrix& confusion) {
  nlohmann::json rows = nlohmann::json::array();
  for (int t = 0; t < confusion.classes; ++t) {
    nlohmann::json row = nlohmann::json::array();
    for (int p = 0; p < confusion.classes; ++p) row.push_back(confusion.at(t, p));
    rows.push_back(row);
  }
  return rows.dump();
}

TableRows split_fold_rows(std::int64_t sweep_id, const SweepSplits& splits) {
  TableRows out{"split_folds", {"sweep_id", "fold", "held_out_group"}, {}};
  for (std::size_t f = 0; f < splits.held_out_groups.size(); ++f) {
    out.rows.push_back({RowCell::of(sweep_id), RowCell::of(static_cast<std::int64_t>(f)),
                        RowCell::text_or_null(splits.held_out_groups[f])});
  }
  return out;
}

TableRows split_row_rows(std::int64_t sweep_id, const SweepSplits& splits) {
  TableRows out{"split_rows", {"sweep_id", "row", "role", "fold", "group_name", "label"}, {}};
  for (const SplitRow& r : splits.rows) {
    out.rows.push_back({RowCell::of(sweep_id), RowCell::of(r.row),
                        RowCell::of(std::string(r.fold < 0 ? "test" : "cv")),
                        r.fold < 0 ? RowCell::null_cell() : RowCell::of(static_cast<std::int64_t>(r.fold)),
                        RowCell::text_or_null(r.group), RowCell::of(r.label)});
  }
  return out;
}

TableRows baseline_fold_rows(std::int64_t sweep_id, const std::vector<BaselineFoldRecord>& folds) {
  TableRows out{"baseline_folds",
                {"sweep_id", "model", "fold", "train_rows", "val_rows", "epochs", "loss", "accuracy",
                 "precision_macro", "recall_macro", "f1_macro", "per_class", "confusion",
                 "weights_hash", "seconds"},
                {}};
  for (const auto& f : folds) {
    out.rows.push_back({RowCell::of(sweep_id), RowCell::of(f.model),
                        RowCell::of(static_cast<std::int64_t>(f.fold)),
                        RowCell::of(static_cast<std::int64_t>(f.train_rows)),
                        RowCell::of(static_cast<std::int64_t>(f.val_rows)),
                        RowCell::of(static_cast<std::int64_t>(f.epochs)), metric_cell(f.scores.loss),
                        metric_cell(f.scores.accuracy), metric_cell(f.scores.precision_macro),
                        metric_cell(f.scores.recall_macro), metric_cell(f.scores.f1_macro),
                        RowCell::of(per_class_json(f.scores)), RowCell::of(confusion_json(f.confusion)),
                        RowCell::of(f.weights_hash), RowCell::of(f.seconds)});
  }
  return out;
}

TableRows final_run_group_rows(std::int64_t final_run_id,
                               const std::vector<std::pair<std::string, ConfusionMatrix>>& groups) {
  TableRows out{"final_run_groups",
                {"final_run_id", "group_name", "rows", "accuracy", "recall_macro", "confusion"},
                {}};
  for (const auto& [name, confusion] : groups) {
    std::int64_t rows = 0, correct = 0;
    double recall_sum = 0;
    int present = 0;
    for (int t = 0; t < confusion.classes; ++t) {
      std::int64_t class_rows = 0;
      for (int p = 0; p < confusion.classes; ++p) class_rows += confusion.at(t, p);
      rows += class_rows;
      correct += confusion.at(t, t);
      if (class_rows > 0) {
        recall_sum += static_cast<double>(confusion.at(t, t)) / static_cast<double>(class_rows);
        ++present;
      }
    }
    const double accuracy = rows == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(rows);
    const double recall_macro = present == 0 ? 0.0 : recall_sum / present;
    out.rows.push_back({RowCell::of(final_run_id), RowCell::of(name), RowCell::of(rows),
                        RowCell::of(accuracy), RowCell::of(recall_macro),
                        RowCell::of(confusion_json(confusion))});
  }
  return out;
}

TableRows final_model_rows(std::int64_t final_run_id, const TrainedModel& model,
                           const std::string& hash) {
  if (weights_hash(model.weights) != hash) {
    throw StoreError("final run " + std::to_string(final_run_id) +
                     ": the model's weights do not have the run's weights hash " + hash);
  }
  if (ParameterLayout(model.config).total != model.weights.values.size()) {
    throw StoreError("final run " + std::to_string(final_run_id) + ": " +
                     std::to_string(model.weights.values.size()) + " weights, the layout has " +
                     std::to_string(ParameterLayout(model.config).total));
  }
  const nlohmann::json standardizer = {{"mean", model.standardizer.mean},
                                       {"inv_std", model.standardizer.inv_std}};
  std::string weights(model.weights.values.size() * sizeof(float), '\0');
  if (!weights.empty()) std::memcpy(weights.data(), model.weights.values.data(), weights.size());
  TableRows out{"final_run_models",
                {"final_run_id", "layout_json", "standardizer_json", "weights", "weights_hash"},
                {}};
  out.rows.push_back({RowCell::of(final_run_id), RowCell::of(layout_json(model).dump()),
                      RowCell::of(standardizer.dump()), RowCell::of_bytes(std::move(weights)),
                      RowCell::of(hash)});
  return out;
}

void insert_rows(SQLite::Database& db, const TableRows& rows, bool skip_existing) {
  std::string sql = std::string(skip_existing ? "INSERT OR IGNORE" : "INSERT") + " INTO " +
                    quoted(rows.table) + " (";
  std::string values;
  for (std::size_t c = 0; c < rows.columns.size(); ++c) {
    sql += (c ? ", " : "") + quoted(rows.columns[c]);
    values += c ? ", ?" : "?";
  }
  SQLite::Statement insert(db, sql + ") VALUES (" + values + ")");
  for (const auto& row : rows.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      const int index = static_cast<int>(c) + 1;
      const RowCell& cell = row[c];
      switch (cell.kind) {
        case RowCell::Kind::null: insert.bind(index); break;
        case RowCell::Kind::integer: insert.bind(index, cell.integer); break;
        case RowCell::Kind::real:
          if (std::isnan(cell.real)) insert.bind(index);
          else insert.bind(index, cell.real);
          break;
        case RowCell::Kind::text: insert.bind(index, cell.text); break;
        case RowCell::Kind::bytes:
          insert.bind(index, cell.text.data(), static_cast<int>(cell.text.size()));
          break;
      }
    }
    insert.exec();
    insert.reset();
  }
}

void insert_rows(PgConnection& pg, const TableRows& rows, bool skip_existing) {
  // Many rows per statement (split_rows holds one per data row), below PostgreSQL's 65535
  // parameters per statement.
  const std::size_t per_statement = std::max<std::size_t>(1, 30000 / std::max<std::size_t>(1, rows.columns.size()));
  std::string head = "INSERT INTO " + quoted(rows.table) + " (";
  for (std::size_t c = 0; c < rows.columns.size(); ++c) head += (c ? ", " : "") + quoted(rows.columns[c]);
  head += ") VALUES ";
  for (std::size_t first = 0; first < rows.rows.size(); first += per_statement) {
    const std::size_t last = std::min(rows.rows.size(), first + per_statement);
    std::string sql = head;
    std::vector<PgParam> params;
    for (std::size_t r = first; r < last; ++r) {
      sql += r > first ? ", (" : "(";
      for (std::size_t c = 0; c < rows.rows[r].size(); ++c) {
        const RowCell& cell = rows.rows[r][c];
        if (c) sql += ", ";
        if (cell.kind == RowCell::Kind::null || (cell.kind == RowCell::Kind::real && std::isnan(cell.real))) {
          sql += "NULL";
          continue;
        }
        if (cell.kind == RowCell::Kind::integer) {
          params.push_back(std::to_string(cell.integer));
          sql += "$" + std::to_string(params.size()) + "::bigint";
        } else if (cell.kind == RowCell::Kind::real) {
          char buffer[40];  // %.17g reads back as the same double
          std::snprintf(buffer, sizeof buffer, "%.17g", cell.real);
          params.push_back(std::string(buffer));
          sql += "$" + std::to_string(params.size()) + "::float8";
        } else if (cell.kind == RowCell::Kind::text) {
          params.push_back(cell.text);
          sql += "$" + std::to_string(params.size()) + "::text";
        } else {
          // bytea's hex input form: parameters travel as text.
          static const char digits[] = "0123456789abcdef";
          std::string hex = "\\x";
          hex.reserve(2 + 2 * cell.text.size());
          for (unsigned char byte : cell.text) {
            hex += digits[byte >> 4];
            hex += digits[byte & 15];
          }
          params.push_back(std::move(hex));
          sql += "$" + std::to_string(params.size()) + "::bytea";
        }
      }
      sql += ")";
    }
    if (skip_existing) sql += " ON CONFLICT DO NOTHING";
    pg.exec(sql, params, ("insert " + rows.table).c_str());
  }
}

}  // namespace eegsweep::store_detail
