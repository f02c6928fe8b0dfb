#include "engine/model/metrics.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace eegsweep {

std::int64_t ConfusionMatrix::total() const {
  return std::accumulate(counts.begin(), counts.end(), std::int64_t{0});
}

namespace {
// Undefined ratios (no predictions of a class, no rows of a class) count as 0, as scikit-learn's
// zero_division=0 does: a metric must never be NaN in the store.
double ratio(std::int64_t num, std::int64_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

}  // namespace

Metrics compute_metrics(const ConfusionMatrix& confusion, double loss) {
  const int n = confusion.classes;
  Metrics m;
  m.loss = loss;
  m.precision.assign(n, 0.0);
  m.recall.assign(n, 0.0);
  m.f1.assign(n, 0.0);
  std::int64_t correct = 0;
  for (int c = 0; c < n; ++c) {
    std::int64_t predicted_c = 0, true_c = 0;
    for (int k = 0; k < n; ++k) {
      predicted_c += confusion.at(k, c);
      true_c += confusion.at(c, k);
    }
    const std::int64_t hits = confusion.at(c, c);
    correct += hits;
    m.precision[c] = ratio(hits, predicted_c);
    m.recall[c] = ratio(hits, true_c);
    const double pr = m.precision[c] + m.recall[c];
    m.f1[c] = pr == 0.0 ? 0.0 : 2.0 * m.precision[c] * m.recall[c] / pr;
  }
  m.accuracy = ratio(correct, confusion.total());
  if (n > 0) {
    m.precision_macro = std::accumulate(m.precision.begin(), m.precision.end(), 0.0) / n;
    m.recall_macro = std::accumulate(m.recall.begin(), m.recall.end(), 0.0) / n;
    m.f1_macro = std::accumulate(m.f1.begin(), m.f1.end(), 0.0) / n;
  }
  return m;
}

std::string canonical_metric_name(const std::string& name) {
  return name.rfind("val_", 0) == 0 ? name.substr(4) : name;
}

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names = {"accuracy", "f1_macro", "precision_macro",
                                                 "recall_macro", "loss"};
  return names;
}

bool metric_is_known(const std::string& name) {
  const auto& names = metric_names();
  return std::find(names.begin(), names.end(), canonical_metric_name(name)) != names.end();
}

double metric_value(const Metrics& metrics, const std::string& name) {
  const std::string key = canonical_metric_name(name);
  if (key == "accuracy") return metrics.accuracy;
  if (key == "f1_macro") return metrics.f1_macro;
  if (key == "precision_macro") return metrics.precision_macro;
  if (key == "recall_macro") return metrics.recall_macro;
  if (key == "loss") return metrics.loss;
  std::string allowed;
  for (const auto& n : metric_names()) allowed += (allowed.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown metric '" + name + "' (allowed: " + allowed + ")");
}

bool metric_default_maximize(const std::string& name) { return canonical_metric_name(name) != "loss"; }

}  // namespace eegsweep
