// Per-feature z-scoring. Statistics come from the training rows passed in and nothing else:
// that is the whole point of this file (no leakage from validation or test rows).

#include "engine/data/standardize.h"

#include <cmath>
#include <string>

namespace eegsweep {

Standardizer Standardizer::identity(std::size_t features) {
  Standardizer s;
  s.mean.assign(features, 0.0f);
  s.inv_std.assign(features, 1.0f);
  return s;
}

Standardizer Standardizer::fit(const Dataset& data, const RowList& train_rows) {
  if (train_rows.empty()) {
    throw DataError("standardization: no training rows to fit on");
  }
  if (data.x.size() != data.rows * data.features) {
    throw DataError("standardization: dataset holds " + std::to_string(data.x.size()) +
                    " values, expected " + std::to_string(data.rows) + " rows × " +
                    std::to_string(data.features) + " features");
  }
  const std::size_t features = data.features;
  for (RowIndex r : train_rows) {
    if (r >= data.rows) {
      throw DataError("standardization: row index " + std::to_string(r) +
                      " is outside the dataset (" + std::to_string(data.rows) + " rows)");
    }
  }
  // Two passes in double (mean, then squared deviations): a one-pass sum of squares loses
  // every digit when a feature's mean is large relative to its spread.
  std::vector<double> sum(features, 0.0);
  for (RowIndex r : train_rows) {
    const float* row = data.row(r);
    for (std::size_t j = 0; j < features; ++j) sum[j] += row[j];
  }
  const double n = static_cast<double>(train_rows.size());
  std::vector<double> mean(features);
  for (std::size_t j = 0; j < features; ++j) mean[j] = sum[j] / n;
  std::vector<double> squares(features, 0.0);
  for (RowIndex r : train_rows) {
    const float* row = data.row(r);
    for (std::size_t j = 0; j < features; ++j) {
      const double d = row[j] - mean[j];
      squares[j] += d * d;
    }
  }
  Standardizer s;
  s.mean.resize(features);
  s.inv_std.resize(features);
  for (std::size_t j = 0; j < features; ++j) {
    // Population standard deviation (ddof 0), as scikit-learn's StandardScaler.
    const double sd = std::sqrt(squares[j] / n);
    s.mean[j] = static_cast<float>(mean[j]);
    // A spread at the level of float rounding of the mean is a constant feature: scaling it up
    // would only amplify rounding noise (and 1/0 would poison training). The check is made on the
    // float that training multiplies by: 1/sd of subnormal data (~1e-40) is finite as a double
    // but overflows to inf as a float.
    const float inv_std = static_cast<float>(1.0 / sd);
    const bool constant = !(sd > 1e-7 * std::fabs(mean[j])) || !std::isfinite(inv_std);
    s.inv_std[j] = constant ? 1.0f : inv_std;
  }
  return s;
}

}  // namespace eegsweep
