// final_run_models: the trained model of a final run (schema.sql, issue 11), written with the run
// by record_final_run and read back, checked against the run's weights hash, by final_model.
#include <nlohmann/json.hpp>

#include <cstring>

#include "results/detail/record_rows.h"
#include "results/detail/store_impl.h"

namespace eegsweep {

namespace store_detail {

namespace {

template <class T>
T field(const nlohmann::json& json, const char* name, const std::string& where) {
  if (!json.contains(name)) throw StoreError(where + ": layout_json has no '" + name + "'");
  try {
    return json.at(name).get<T>();
  } catch (const nlohmann::json::exception& e) {
    throw StoreError(where + ": layout_json '" + name + "': " + e.what());
  }
}

}  // namespace

void insert_final_model(SQLite::Database& db, std::int64_t final_run_id, const TrainedModel& model,
                        const std::string& hash) {
  // A database of schema version 1 (before the upgrade path) has no place for it: its runs stay
  // without a model, as they were, and `predict` says so.
  if (!db.tableExists("final_run_models")) return;
  insert_rows(db, final_model_rows(final_run_id, model, hash));
}

}  // namespace store_detail

std::optional<TrainedModel> Store::final_model(std::int64_t final_run_id) {
  using store_detail::field;
  const std::string where = impl_->path + ": final run " + std::to_string(final_run_id);
  return store_detail::guarded(*impl_, "final_model", [&] {
    return store_detail::read_transaction(*impl_, [&]() -> std::optional<TrainedModel> {
      SQLite::Database& db = *impl_->db;
      if (!db.tableExists("final_run_models")) return std::nullopt;  // a version 1 database
      SQLite::Statement select(db,
                               "SELECT m.layout_json, m.standardizer_json, m.weights, "
                               "m.weights_hash, r.weights_hash FROM final_run_models m "
                               "JOIN final_runs r ON r.id = m.final_run_id WHERE m.final_run_id = ?");
      select.bind(1, final_run_id);
      if (!select.executeStep()) return std::nullopt;
      nlohmann::json layout, standardizer;
      try {
        layout = nlohmann::json::parse(select.getColumn(0).getString());
        standardizer = nlohmann::json::parse(select.getColumn(1).getString());
      } catch (const nlohmann::json::exception& e) {
        throw StoreError(where + ": unreadable model: " + e.what());
      }
      TrainedModel model;
      model.config.input_size = field<int>(layout, "input_size", where);
      model.config.timesteps = field<int>(layout, "timesteps", where);
      model.config.hidden_size = field<int>(layout, "hidden_size", where);
      model.config.num_layers = field<int>(layout, "num_layers", where);
      try {
        model.config.head = parse_head(field<std::string>(layout, "head", where));
      } catch (const std::invalid_argument& e) {
        throw StoreError(where + ": layout_json 'head': " + e.what());
      }
      model.config.num_classes = field<int>(layout, "num_classes", where);
      model.batch_size = field<int>(layout, "batch_size", where);
      model.feature_names = field<std::vector<std::string>>(layout, "feature_names", where);
      model.class_names = field<std::vector<std::string>>(layout, "class_names", where);
      model.standardizer.mean = field<std::vector<float>>(standardizer, "mean", where);
      model.standardizer.inv_std = field<std::vector<float>>(standardizer, "inv_std", where);

      const SQLite::Column blob = select.getColumn(2);
      const std::size_t bytes = static_cast<std::size_t>(blob.getBytes());
      if (bytes % sizeof(float) != 0) {
        throw StoreError(where + ": the weights blob has " + std::to_string(bytes) +
                         " bytes, not a whole number of float32 values");
      }
      model.weights.values.resize(bytes / sizeof(float));
      if (bytes > 0) std::memcpy(model.weights.values.data(), blob.getBlob(), bytes);

      const std::size_t features = static_cast<std::size_t>(model.config.timesteps) *
                                   static_cast<std::size_t>(model.config.input_size);
      if (model.config.input_size < 1 || model.config.timesteps < 1 ||
          model.config.hidden_size < 1 || model.config.num_layers < 1 ||
          model.config.num_classes < 2 || model.batch_size < 1 ||
          model.feature_names.size() != features || model.standardizer.mean.size() != features ||
          model.standardizer.inv_std.size() != features ||
          model.class_names.size() != static_cast<std::size_t>(model.config.num_classes) ||
          ParameterLayout(model.config).total != model.weights.values.size()) {
        throw StoreError(where + ": the stored model is inconsistent (shape, names, standardizer "
                                 "and weights do not agree)");
      }
      const std::string stored_hash = select.getColumn(3).getString();
      const std::string run_hash = select.getColumn(4).getString();
      const std::string actual = weights_hash(model.weights);
      if (actual != stored_hash || actual != run_hash) {
        throw StoreError(where + ": the stored weights hash to " + actual +
                         ", the run records " + run_hash + ": the model was changed or damaged");
      }
      return model;
    });
  });
}

}  // namespace eegsweep
