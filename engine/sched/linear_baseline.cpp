#include "engine/sched/linear_baseline.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "engine/cpu/dense_head.h"
#include "engine/model/training_rules.h"

namespace eegsweep {

namespace {

// rows × features, standardized; the layout of a `last` head's input with one step.
std::vector<float> standardized_rows(const Dataset& data, const RowList& rows, const Standardizer& s) {
  std::vector<float> x(rows.size() * data.features);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const float* source = data.row(rows[i]);
    float* target = x.data() + i * data.features;
    for (std::size_t j = 0; j < data.features; ++j) target[j] = s.apply(j, source[j]);
  }
  return x;
}

std::vector<int> labels_of(const Dataset& data, const RowList& rows) {
  std::vector<int> labels;
  labels.reserve(rows.size());
  for (RowIndex r : rows) labels.push_back(data.y[r]);
  return labels;
}

HeadShape linear_shape(const Dataset& data, std::size_t rows) {
  HeadShape shape;
  shape.head = Head::last;
  shape.timesteps = 1;
  shape.hidden = static_cast<int>(data.features);
  shape.classes = static_cast<int>(data.num_classes());
  shape.batch = static_cast<int>(rows);
  return shape;
}

}  // namespace

BaselineFoldRecord train_linear_baseline(const Dataset& data, const FoldData& fold, int fold_number) {
  const auto start = std::chrono::steady_clock::now();
  const std::size_t F = data.features;
  const std::size_t C = data.num_classes();
  // Wd (C × F) then bd (C), as the head's part of weights.h.
  std::vector<float> weights(C * F + C, 0.0f), gradient(weights.size()), m(weights.size(), 0.0f),
      v(weights.size(), 0.0f);
  float* wd = weights.data();
  float* bd = weights.data() + C * F;

  const std::vector<float> x = standardized_rows(data, fold.train_rows, fold.standardizer);
  const std::vector<int> y = labels_of(data, fold.train_rows);
  const HeadShape shape = linear_shape(data, fold.train_rows.size());
  std::vector<float> a(x.size()), dx(x.size()), logits(fold.train_rows.size() * C),
      dlogits(logits.size());
  for (int step = 1; step <= kLinearBaselineEpochs && !fold.train_rows.empty(); ++step) {
    head_forward(shape, x.data(), nullptr, wd, bd, a.data(), logits.data());
    softmax_cross_entropy(logits.data(), y.data(), shape.batch, shape.classes, dlogits.data());
    head_backward(shape, x.data(), nullptr, wd, a.data(), dlogits.data(), gradient.data(),
                  gradient.data() + C * F, dx.data());
    const float alpha = adam_alpha(kLinearBaselineLearningRate, step);
    for (std::size_t k = 0; k < weights.size(); ++k) adam_update(weights[k], m[k], v[k], gradient[k], alpha, 0.0f);
  }

  const std::vector<float> xv = standardized_rows(data, fold.val_rows, fold.standardizer);
  const std::vector<int> yv = labels_of(data, fold.val_rows);
  const HeadShape val_shape = linear_shape(data, fold.val_rows.size());
  std::vector<float> av(xv.size()), val_logits(fold.val_rows.size() * C);
  BaselineFoldRecord record;
  record.model = kLinearBaselineModel;
  record.fold = fold_number;
  record.train_rows = static_cast<int>(fold.train_rows.size());
  record.val_rows = static_cast<int>(fold.val_rows.size());
  record.epochs = kLinearBaselineEpochs;
  record.confusion = ConfusionMatrix(static_cast<int>(C));
  double loss = 0;
  if (!fold.val_rows.empty()) {
    head_forward(val_shape, xv.data(), nullptr, wd, bd, av.data(), val_logits.data());
    loss = softmax_cross_entropy(val_logits.data(), yv.data(), val_shape.batch, val_shape.classes, nullptr);
    for (std::size_t i = 0; i < fold.val_rows.size(); ++i) {
      const float* z = val_logits.data() + i * C;
      record.confusion.add(yv[i], static_cast<int>(std::max_element(z, z + C) - z));
    }
  }
  record.scores = compute_metrics(record.confusion, loss);
  record.weights_hash = weights_hash(ModelWeights{weights});
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return record;
}

std::vector<BaselineFoldRecord> linear_baseline(const SweepSpec& spec, const SweepPlan& plan) {
  std::vector<BaselineFoldRecord> folds;
  for (std::size_t f = 0; f < plan.folds.size(); ++f) {
    folds.push_back(train_linear_baseline(*plan.data, fold_data(spec, plan, static_cast<int>(f)),
                                          static_cast<int>(f)));
  }
  if (!plan.holdout.test.empty()) {
    folds.push_back(train_linear_baseline(*plan.data, final_data(spec, plan), kBaselineTestFold));
  }
  return folds;
}

std::string baseline_summary(const std::vector<BaselineFoldRecord>& folds, const std::string& metric) {
  double sum = 0;
  int n = 0;
  for (const auto& f : folds) {
    if (f.fold == kBaselineTestFold) continue;
    sum += metric_value(f.scores, metric);
    ++n;
  }
  return fmt::format("baseline (linear softmax on the same folds): {} {:.4f} over {} folds", metric,
                     n ? sum / n : 0.0, n);
}

}  // namespace eegsweep
