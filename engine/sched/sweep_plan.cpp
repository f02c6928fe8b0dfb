#include "engine/sched/sweep_plan.h"

#include <algorithm>
#include <filesystem>

#include "engine/data/csv_reader.h"
#include "engine/data/group_splits.h"
#include "engine/data/muse/muse.h"
#include "engine/data/hash.h"
#include "engine/data/random.h"
#include "engine/data/seed_streams.h"
#include "engine/data/sequence.h"
#include "engine/data/standardize.h"
#include "engine/data/synthetic.h"
#include "engine/sched/sweep_checks.h"

namespace eegsweep {

namespace {

std::string missing_file_message(const SweepSpec& spec) {
  const std::filesystem::path path(spec.data.path);
  std::string message = spec.source_path + ": data.path: file not found: " + spec.data.path;
  if (path.filename() == "emotions.csv") {
    message +=
        "\n  This is Kaggle's \"EEG Brainwave Dataset: Feeling Emotions\" table (J. J. Bird et al.)."
        "\n  Download emotions.csv from https://www.kaggle.com/datasets/birdy654/"
        "eeg-brainwave-dataset-feeling-emotions"
        "\n  and put it at " + spec.data.path +
        "\n  (or point the sweep at it: --set data.path=/where/it/is/emotions.csv).";
  }
  return message;
}

}  // namespace

namespace {

// test: {path}: the test table's rows appended after the training table's, with its classes and
// groups mapped onto the training table's by name.
void append_test_rows(Dataset& data, const Dataset& test, const std::string& origin) {
  if (test.features != data.features || test.feature_names != data.feature_names) {
    throw DataError(origin + ": test.path: " + test.source + " has " + std::to_string(test.features) +
                    " features, not the " + std::to_string(data.features) + " features of " + data.source +
                    " (or they are named differently): the test data must have the training data's columns");
  }
  if (data.has_groups() != test.has_groups()) {
    throw DataError(origin + ": test.path: " + test.source + (test.has_groups() ? " has" : " has no") +
                    " group column, unlike " + data.source);
  }
  std::vector<int> class_of(test.class_names.size());
  for (std::size_t c = 0; c < test.class_names.size(); ++c) {
    const auto it = std::find(data.class_names.begin(), data.class_names.end(), test.class_names[c]);
    if (it == data.class_names.end()) {
      throw DataError(origin + ": test.path: class '" + test.class_names[c] + "' of " + test.source +
                      " is not a class of " + data.source);
    }
    class_of[c] = static_cast<int>(it - data.class_names.begin());
  }
  std::vector<int> group_of(test.group_names.size());
  for (std::size_t g = 0; g < test.group_names.size(); ++g) {
    const auto it = std::find(data.group_names.begin(), data.group_names.end(), test.group_names[g]);
    if (it != data.group_names.end()) {
      throw DataError(origin + ": test.path: group '" + test.group_names[g] + "' is in both " + data.source +
                      " and " + test.source + ": the test set would share it with training");
    }
    group_of[g] = static_cast<int>(data.group_names.size());
    data.group_names.push_back(test.group_names[g]);
  }
  data.x.insert(data.x.end(), test.x.begin(), test.x.end());
  for (int label : test.y) data.y.push_back(class_of[static_cast<std::size_t>(label)]);
  for (int g : test.group) data.group.push_back(group_of[static_cast<std::size_t>(g)]);
  data.rows += test.rows;
  data.separate_test_rows = test.rows;
  data.source += " + test " + test.source;
}

// One table: the training data, or (test_data) the separate test data, which may hold a single
// class and needs no rows per fold.
std::shared_ptr<Dataset> load_table(const SweepSpec& spec, bool test_data) {
  const DataSpec& d = spec.data;
  if (d.format == "synthetic") return std::make_shared<Dataset>(make_synthetic(d.synthetic));
  if (d.format == "muse") {
    if (!std::filesystem::is_directory(d.path)) {
      throw DataError(spec.source_path + ": data.path: not a directory of Muse recordings: " + d.path);
    }
    MuseTable table = featurize_muse_directory(d.path, d.muse);
    if (!test_data) check_muse_classes(spec, table.data);
    set_muse_groups(table, spec.cv.group_by.empty() ? "recording" : spec.cv.group_by);
    return std::make_shared<Dataset>(std::move(table.data));
  }
  if (d.format == "csv") {
    if (!std::filesystem::exists(d.path)) throw DataError(missing_file_message(spec));
    CsvOptions options;
    options.label_column = d.label_column;
    // Grouped folds need the group column even when only cv.group_by names it.
    options.group_column = d.group_column.empty() ? spec.cv.group_by : d.group_column;
    options.classes = d.classes;
    options.min_rows_per_class = test_data ? 0 : spec.cv.folds;
    return std::make_shared<Dataset>(read_feature_csv(d.path, options));
  }
  throw DataError(spec.source_path + ": data.format: unknown format '" + d.format + "'");
}

}  // namespace

std::shared_ptr<Dataset> load_dataset(const SweepSpec& spec) {
  std::shared_ptr<Dataset> data = load_table(spec, false);
  if (spec.test.path.empty()) return data;
  SweepSpec test_spec = spec;
  test_spec.data.path = spec.test.path;
  test_spec.data.classes = data->class_names;  // the same class order
  const std::shared_ptr<Dataset> test = load_table(test_spec, true);
  append_test_rows(*data, *test, spec.source_path);
  return data;
}

SweepPlan plan_sweep(const SweepSpec& spec, std::shared_ptr<const Dataset> data) {
  SweepPlan plan;
  plan.grouped = !spec.cv.group_by.empty();
  if (plan.grouped && !data->has_groups()) {
    throw DataError(spec.source_path + ": cv.group_by: '" + spec.cv.group_by +
                    "' but the data has no group column");
  }
  const std::uint64_t split_seed = derive_seed(spec.seed, streams::split);
  if (data->separate_test_rows > 0) {
    const std::size_t first_test = data->rows - data->separate_test_rows;
    for (std::size_t r = 0; r < data->rows; ++r) {
      (r < first_test ? plan.holdout.train : plan.holdout.test).push_back(static_cast<RowIndex>(r));
    }
  } else if (!spec.test.groups.empty()) {
    try {
      plan.holdout = holdout_groups(*data, spec.test.groups);
    } catch (const DataError& e) {
      throw DataError(spec.test.groups_origin + ": " + e.what());
    }
  } else {
    // Grouped CV also holds out whole groups: a recording split between test and training rows
    // would leak through its overlapping windows.
    plan.holdout = holdout_split(*data, spec.test_split, split_seed, plan.grouped);
  }
  if (spec.cv.method == "leave_one_group_out") {
    try {
      plan.folds = leave_one_group_out(*data, plan.holdout.train);
    } catch (const DataError& e) {
      throw DataError(spec.source_path + ": cv.method: " + e.what());
    }
  } else {
    check_folds_after_holdout(spec, *data, plan.holdout);
    KFoldOptions options;
    options.folds = spec.cv.folds;
    options.stratified = spec.cv.stratified;
    options.grouped = plan.grouped;
    options.seed = derive_seed(split_seed, streams::fold);
    plan.folds = kfold(*data, plan.holdout.train, options);
  }
  plan.inner_seed = derive_seed(split_seed, streams::inner);
  plan.data = std::move(data);
  return plan;
}

static FoldData make_fold_data(const SweepSpec& spec, const Dataset& data, RowList train, RowList val) {
  FoldData fold;
  fold.standardizer = spec.standardize ? Standardizer::fit(data, train)
                                       : Standardizer::identity(data.features);
  fold.train_rows = std::move(train);
  fold.val_rows = std::move(val);
  return fold;
}

FoldData fold_data(const SweepSpec& spec, const SweepPlan& plan, int fold) {
  const Fold& f = plan.folds.at(static_cast<std::size_t>(fold));
  return make_fold_data(spec, *plan.data, f.train, f.val);
}

FoldData inner_fold_data(const SweepSpec& spec, const SweepPlan& plan, int fold) {
  const Fold& f = plan.folds.at(static_cast<std::size_t>(fold));
  HoldoutSplit inner;
  try {
    inner = holdout_split(*plan.data, f.train, kInnerValidationFraction,
                          derive_seed(plan.inner_seed, static_cast<std::uint64_t>(fold)), plan.grouped);
  } catch (const DataError& e) {
    throw DataError(std::string("cv.epoch_selection: inner: ") + e.what() +
                    " in the fold's training rows; use cv.epoch_selection: fold, or more groups");
  }
  return make_fold_data(spec, *plan.data, std::move(inner.train), std::move(inner.test));
}

FoldData final_data(const SweepSpec& spec, const SweepPlan& plan) {
  return make_fold_data(spec, *plan.data, plan.holdout.train, plan.holdout.test);
}

std::uint64_t trial_seed(const SweepSpec& spec, const std::string& params_hash) {
  return derive_seed(spec.seed, fnv1a(params_hash));
}

std::uint64_t fold_seed(std::uint64_t trial_seed, int fold) {
  return derive_seed(trial_seed, streams::fold, static_cast<std::uint64_t>(fold));
}

std::uint64_t final_seed(std::uint64_t trial_seed) { return derive_seed(trial_seed, streams::final_run); }

TrialSetup trial_setup(const SweepSpec& spec, const TrialParams& params, const Dataset& data,
                       std::uint64_t seed) {
  const int timesteps = params.timesteps == 0 ? static_cast<int>(data.features) : params.timesteps;
  const SequenceShape shape = sequence_shape(data.features, timesteps);
  TrialSetup setup;
  setup.model.input_size = shape.inputs;
  setup.model.timesteps = shape.timesteps;
  setup.model.hidden_size = params.hidden_size;
  setup.model.num_layers = params.num_layers;
  setup.model.head = parse_head(params.head);
  setup.model.num_classes = static_cast<int>(data.num_classes());
  setup.train.learning_rate = params.learning_rate;
  setup.train.batch_size = params.batch_size;
  setup.train.epochs = params.epochs;
  setup.train.patience = params.patience;
  setup.train.dropout = params.dropout;
  setup.train.weight_decay = params.weight_decay;
  setup.train.monitor = spec.metric.name;
  setup.train.maximize = spec.metric.maximize;
  setup.train.seed = seed;
  setup.train.tf32 = params.precision == "tf32";
  return setup;
}

}  // namespace eegsweep
