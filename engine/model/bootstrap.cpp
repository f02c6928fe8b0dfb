#include "engine/model/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "engine/data/random.h"

namespace eegsweep {

namespace {

double score(const ConfusionMatrix& m, bool balanced) {
  const int k = m.classes;
  if (!balanced) {
    std::int64_t correct = 0, total = 0;
    for (int t = 0; t < k; ++t) {
      for (int p = 0; p < k; ++p) {
        total += m.at(t, p);
        if (t == p) correct += m.at(t, p);
      }
    }
    return total == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(total);
  }
  double recall_sum = 0;
  int present = 0;
  for (int t = 0; t < k; ++t) {
    std::int64_t row = 0;
    for (int p = 0; p < k; ++p) row += m.at(t, p);
    if (row == 0) continue;
    recall_sum += static_cast<double>(m.at(t, t)) / static_cast<double>(row);
    ++present;
  }
  return present == 0 ? 0.0 : recall_sum / present;
}

// The q-quantile of sorted values, linear between order statistics (R's type 7).
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

}  // namespace

BootstrapInterval bootstrap_interval(const std::vector<ConfusionMatrix>& units, bool balanced,
                                     std::uint64_t seed, int resamples) {
  if (units.empty()) throw std::invalid_argument("bootstrap: no test units");
  if (resamples < 1) throw std::invalid_argument("bootstrap: resamples must be positive");
  CounterRng rng(seed);
  std::vector<double> scores;
  scores.reserve(static_cast<std::size_t>(resamples));
  ConfusionMatrix pooled(units.front().classes);
  for (int b = 0; b < resamples; ++b) {
    std::fill(pooled.counts.begin(), pooled.counts.end(), 0);
    for (std::size_t i = 0; i < units.size(); ++i) {
      const ConfusionMatrix& unit = units[rng.below(units.size())];
      for (std::size_t c = 0; c < pooled.counts.size(); ++c) pooled.counts[c] += unit.counts[c];
    }
    scores.push_back(score(pooled, balanced));
  }
  std::sort(scores.begin(), scores.end());
  BootstrapInterval r;
  r.low = quantile(scores, 0.025);
  r.high = quantile(scores, 0.975);
  r.units = static_cast<int>(units.size());
  r.resamples = resamples;
  return r;
}

std::vector<ConfusionMatrix> row_units(const ConfusionMatrix& confusion) {
  std::vector<ConfusionMatrix> rows;
  for (int t = 0; t < confusion.classes; ++t) {
    for (int p = 0; p < confusion.classes; ++p) {
      for (std::int64_t n = 0; n < confusion.at(t, p); ++n) {
        ConfusionMatrix one(confusion.classes);
        one.add(t, p);
        rows.push_back(std::move(one));
      }
    }
  }
  return rows;
}

}  // namespace eegsweep
