#include "engine/sched/sweep_plan.h"

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

std::shared_ptr<Dataset> load_dataset(const SweepSpec& spec) {
  const DataSpec& d = spec.data;
  if (d.format == "synthetic") return std::make_shared<Dataset>(make_synthetic(d.synthetic));
  if (d.format == "muse") {
    if (!std::filesystem::is_directory(d.path)) {
      throw DataError(spec.source_path + ": data.path: not a directory of Muse recordings: " + d.path);
    }
    MuseTable table = featurize_muse_directory(d.path, d.muse);
    check_muse_classes(spec, table.data);
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
    options.min_rows_per_class = spec.cv.folds;
    return std::make_shared<Dataset>(read_feature_csv(d.path, options));
  }
  throw DataError(spec.source_path + ": data.format: unknown format '" + d.format + "'");
}

SweepPlan plan_sweep(const SweepSpec& spec, std::shared_ptr<const Dataset> data) {
  SweepPlan plan;
  plan.grouped = !spec.cv.group_by.empty();
  if (plan.grouped && !data->has_groups()) {
    throw DataError(spec.source_path + ": cv.group_by: '" + spec.cv.group_by +
                    "' but the data has no group column");
  }
  const std::uint64_t split_seed = derive_seed(spec.seed, streams::split);
  if (!spec.test.groups.empty()) {
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
