#pragma once
// Everything fixed for a whole sweep before any training: the dataset, the held-out test rows,
// the folds, and how a trial's parameters become a model and its training settings.

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/data/splits.h"
#include "engine/model/backend.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {

// Loads the table the sweep's `data:` names (csv, synthetic or muse). Throws DataError; a
// missing emotions.csv explains where to get it and where to put it.
std::shared_ptr<Dataset> load_dataset(const SweepSpec& spec);

struct SweepPlan {
  std::shared_ptr<const Dataset> data;
  HoldoutSplit holdout;     // train = every non-test row
  std::vector<Fold> folds;  // over holdout.train
  bool grouped = false;
  std::uint64_t inner_seed = 0;  // the inner validation splits (cv.epoch_selection: inner)
};

// The share of a fold's training rows (whole groups when CV is grouped) that choose its epoch
// under cv.epoch_selection: inner.
constexpr double kInnerValidationFraction = 0.2;

// Seeded from the sweep seed only, so every trial (and every rerun) sees the same splits.
SweepPlan plan_sweep(const SweepSpec& spec, std::shared_ptr<const Dataset> data);

// The fold's rows with standardization fitted on its training rows only.
FoldData fold_data(const SweepSpec& spec, const SweepPlan& plan, int fold);
// cv.epoch_selection: inner: the fold's training rows split again (stratified, seeded; whole
// groups when CV is grouped): train_rows to train on, val_rows to choose the epoch on, and the
// standardization fitted on train_rows only. The fold's own validation rows are not in it.
FoldData inner_fold_data(const SweepSpec& spec, const SweepPlan& plan, int fold);
// All non-test rows for training, the test rows for scoring (the final run).
FoldData final_data(const SweepSpec& spec, const SweepPlan& plan);

struct TrialSetup {
  ModelConfig model;
  TrainConfig train;
};

// Seeds derive from the sweep seed and the trial's parameter hash (not its number, which can
// change when a grid is edited), so a resumed or reproduced trial draws the same numbers.
std::uint64_t trial_seed(const SweepSpec& spec, const std::string& params_hash);
std::uint64_t fold_seed(std::uint64_t trial_seed, int fold);
std::uint64_t final_seed(std::uint64_t trial_seed);

// Throws DataError when the trial's timesteps do not divide the feature count.
TrialSetup trial_setup(const SweepSpec& spec, const TrialParams& params, const Dataset& data,
                       std::uint64_t seed);

}  // namespace eegsweep
