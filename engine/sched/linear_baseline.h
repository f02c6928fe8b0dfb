#pragma once
// The sweep's baseline: a linear softmax classifier — the dense head alone (engine/cpu/
// dense_head.h) on the standardized features — trained on exactly the sweep's folds and held-out
// split, so that every sweep answers "does the GRU beat a linear model?" on the same rows.
//
// Training is fixed, not swept: weights start at zero (the loss is convex, so no seed is
// needed), full-batch Adam (Keras form, training_rules.h) for kLinearBaselineEpochs steps at
// kLinearBaselineLearningRate, no early stopping, so the validation rows choose nothing. Plain
// loops on one thread: the same rows give the same bits on every run.

#include <string>
#include <vector>

#include "engine/sched/sweep_plan.h"
#include "results/store.h"

namespace eegsweep {

inline constexpr const char* kLinearBaselineModel = "linear_softmax";
inline constexpr int kLinearBaselineEpochs = 200;
inline constexpr double kLinearBaselineLearningRate = 0.01;

// One fold: trained on fold.train_rows (standardized by fold.standardizer), scored on
// fold.val_rows. `fold_number` is recorded as is (kBaselineTestFold for the test rows).
BaselineFoldRecord train_linear_baseline(const Dataset& data, const FoldData& fold, int fold_number);

// Every fold of the plan, then (when there are test rows) all non-test rows → the test rows.
std::vector<BaselineFoldRecord> linear_baseline(const SweepSpec& spec, const SweepPlan& plan);

// The line a sweep logs: the baseline's mean `metric` over the cross-validation folds.
std::string baseline_summary(const std::vector<BaselineFoldRecord>& folds, const std::string& metric);

}  // namespace eegsweep
