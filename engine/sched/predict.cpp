#include "engine/sched/predict.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "engine/cpu/cpu_backend.h"
#include "engine/data/csv_reader.h"
#include "engine/data/muse/muse.h"

namespace eegsweep {

namespace {

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// The feature columns must be the model's, in its order: a table with other columns would be
// read as something else without a word.
void check_features(const Dataset& data, const TrainedModel& model, const std::string& path) {
  const std::size_t expected = model.feature_names.size();
  for (std::size_t j = 0; j < std::min(expected, data.features); ++j) {
    if (data.feature_names[j] != model.feature_names[j]) {
      throw DataError(fmt::format("{}: line 1 (header), feature column {}: '{}' where the model "
                                  "expects '{}' ({} features, in the order it was trained on)",
                                  path, j + 1, data.feature_names[j], model.feature_names[j],
                                  expected));
    }
  }
  if (data.features != expected) {
    const bool more = data.features > expected;
    throw DataError(fmt::format(
        "{}: line 1 (header): {} feature columns, the model was trained on {} ({} '{}')", path,
        data.features, expected, more ? "unexpected column" : "first missing column",
        more ? data.feature_names[expected] : model.feature_names[data.features]));
  }
}

}  // namespace

PredictionInput read_prediction_data(const SweepSpec& spec, const TrainedModel& model,
                                     const std::string& path, const std::string& group_column) {
  PredictionInput input;
  if (std::filesystem::is_directory(path)) {
    if (spec.data.format != "muse") {
      throw DataError(path + ": a directory (Muse recordings), but the model was trained on '" +
                      spec.data.format + "' data; give a CSV feature table");
    }
    MuseOptions options = spec.data.muse;
    options.classes = model.class_names;  // the file names' class words, in the model's order
    MuseTable table = featurize_muse_directory(path, options);
    set_muse_groups(table, group_column.empty() ? "recording" : group_column);
    input.data = std::make_shared<Dataset>(std::move(table.data));
    input.labelled = true;  // Muse file names always carry the class
  } else {
    if (!std::filesystem::exists(path)) throw DataError(path + ": file not found");
    CsvOptions options;
    options.label_column = spec.data.label_column.empty() ? "label" : spec.data.label_column;
    options.classes = model.class_names;
    options.labels_optional = true;
    std::string group = group_column;
    if (group.empty()) {
      group = !spec.data.group_column.empty() ? spec.data.group_column
              : !spec.cv.group_by.empty()      ? spec.cv.group_by
              : spec.data.format == "muse"     ? "recording"
                                               : "";
    }
    options.group_column = group;
    try {
      input.data = std::make_shared<Dataset>(read_feature_csv(path, options));
    } catch (const DataError& e) {
      // The sweep's group column is optional here: retry without it when the table lacks it.
      const std::string missing = ": no group column '" + group + "'";
      if (!group_column.empty() || group.empty() ||
          std::string(e.what()).find(missing) == std::string::npos) {
        throw;
      }
      options.group_column.clear();
      input.data = std::make_shared<Dataset>(read_feature_csv(path, options));
    }
    input.labelled = !input.data->y.empty();
    if (!input.labelled) input.data->y.assign(input.data->rows, 0);
  }
  check_features(*input.data, model, path);
  return input;
}

Predictions predict_rows(const TrainedModel& model, const PredictionInput& input) {
  const Dataset& data = *input.data;
  auto backend = make_cpu_backend(1);
  backend->set_dataset(input.data);
  FoldData fold;
  fold.val_rows.resize(data.rows);
  for (std::size_t r = 0; r < data.rows; ++r) fold.val_rows[r] = static_cast<RowIndex>(r);
  fold.standardizer = model.standardizer;
  TrainConfig train;
  train.batch_size = model.batch_size;
  auto trainer = backend->create_trainer(model.config, train, fold);
  trainer->set_weights(model.weights);
  const Evaluation evaluation = trainer->evaluate(fold.val_rows);

  Predictions out;
  out.class_names = model.class_names;
  out.rows = data.rows;
  out.logits = evaluation.logits;
  const std::size_t C = model.class_names.size();
  if (out.logits.size() != data.rows * C) {
    throw std::logic_error("predict: the backend returned no scores per row");
  }
  out.probabilities.resize(out.logits.size());
  for (std::size_t r = 0; r < data.rows; ++r) {
    const float* z = out.logits.data() + r * C;
    double* p = out.probabilities.data() + r * C;
    const double top = *std::max_element(z, z + C);
    double sum = 0;
    for (std::size_t c = 0; c < C; ++c) sum += p[c] = std::exp(static_cast<double>(z[c]) - top);
    for (std::size_t c = 0; c < C; ++c) p[c] /= sum;
    out.predicted.push_back(static_cast<int>(std::max_element(z, z + C) - z));
  }
  return out;
}

std::string predictions_csv(const PredictionInput& input, const Predictions& predictions) {
  const Dataset& data = *input.data;
  const std::size_t C = predictions.class_names.size();
  const bool grouped = data.has_groups();
  std::string out = "kind,row,";
  if (grouped) out += csv_cell(data.group_column) + ",";
  out += "label,predicted";
  for (const auto& name : predictions.class_names) out += "," + csv_cell("p_" + name);
  out += "\n";
  auto probabilities = [&](const double* p) {
    std::string cells;
    for (std::size_t c = 0; c < C; ++c) cells += fmt::format(",{:.9g}", p[c]);
    return cells;
  };
  for (std::size_t r = 0; r < predictions.rows; ++r) {
    out += fmt::format("row,{},", r + 1);
    if (grouped) out += csv_cell(data.group_names[static_cast<std::size_t>(data.group[r])]) + ",";
    out += input.labelled ? csv_cell(predictions.class_names[static_cast<std::size_t>(data.y[r])]) : "";
    out += "," + csv_cell(predictions.class_names[static_cast<std::size_t>(predictions.predicted[r])]);
    out += probabilities(predictions.probabilities.data() + r * C) + "\n";
  }
  if (!grouped) return out;

  const std::size_t groups = data.group_names.size();
  std::vector<double> sums(groups * C, 0.0);
  std::vector<std::size_t> counts(groups, 0);
  std::vector<int> label(groups, -1);  // -2: its rows have different labels
  for (std::size_t r = 0; r < predictions.rows; ++r) {
    const auto g = static_cast<std::size_t>(data.group[r]);
    for (std::size_t c = 0; c < C; ++c) sums[g * C + c] += predictions.probabilities[r * C + c];
    ++counts[g];
    if (label[g] == -1) label[g] = data.y[r];
    else if (label[g] != data.y[r]) label[g] = -2;
  }
  for (std::size_t g = 0; g < groups; ++g) {
    if (counts[g] == 0) continue;
    double* mean = sums.data() + g * C;
    for (std::size_t c = 0; c < C; ++c) mean[c] /= static_cast<double>(counts[g]);
    const auto predicted = static_cast<std::size_t>(std::max_element(mean, mean + C) - mean);
    out += "group,," + csv_cell(data.group_names[g]) + ",";
    if (input.labelled && label[g] >= 0) out += csv_cell(predictions.class_names[static_cast<std::size_t>(label[g])]);
    out += "," + csv_cell(predictions.class_names[predicted]) + probabilities(mean) + "\n";
  }
  return out;
}

}  // namespace eegsweep
