#pragma once
// Classification metrics from a confusion matrix (rows = true class, columns = predicted).

#include <cstdint>
#include <string>
#include <vector>

namespace eegsweep {

struct ConfusionMatrix {
  int classes = 0;
  std::vector<std::int64_t> counts;  // classes × classes, row = true, column = predicted

  explicit ConfusionMatrix(int n = 0) : classes(n), counts(static_cast<std::size_t>(n) * n, 0) {}
  void add(int truth, int predicted) { ++counts[static_cast<std::size_t>(truth) * classes + predicted]; }
  std::int64_t at(int truth, int predicted) const {
    return counts[static_cast<std::size_t>(truth) * classes + predicted];
  }
  std::int64_t total() const;
};

struct Metrics {
  double loss = 0;  // mean cross-entropy
  double accuracy = 0;
  std::vector<double> precision, recall, f1;  // per class; 0 (never NaN) when undefined
  double precision_macro = 0, recall_macro = 0, f1_macro = 0;
};

Metrics compute_metrics(const ConfusionMatrix& confusion, double loss);

// Names usable as a sweep `metric.name` / early-stopping monitor: accuracy, f1_macro,
// precision_macro, recall_macro, loss (a "val_" prefix is accepted and ignored).
const std::vector<std::string>& metric_names();
// The name without its optional "val_" prefix (Keras's spelling): "val_loss" → "loss".
std::string canonical_metric_name(const std::string& name);
bool metric_is_known(const std::string& name);
double metric_value(const Metrics& metrics, const std::string& name);  // throws if unknown
bool metric_default_maximize(const std::string& name);                 // false only for loss

}  // namespace eegsweep
