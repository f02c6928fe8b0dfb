// Held-out test split and k-fold cross-validation. Every shuffle draws from its own derived
// stream (derive_seed(seed, purpose, class)), so a split depends only on the seed and the labels,
// never on the order in which anything else ran.

#include "engine/data/splits.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "engine/data/random.h"
#include "engine/data/seed_streams.h"

namespace eegsweep {
namespace {

void check_labels(const Dataset& data, const char* what) {
  if (data.y.size() != data.rows) {
    throw DataError(std::string(what) + ": dataset has " + std::to_string(data.rows) +
                    " rows but " + std::to_string(data.y.size()) + " labels");
  }
  if (data.has_groups() && data.group.size() != data.rows) {
    throw DataError(std::string(what) + ": dataset has " + std::to_string(data.rows) +
                    " rows but " + std::to_string(data.group.size()) + " group ids");
  }
}

std::size_t class_count(const Dataset& data) {
  int top = static_cast<int>(data.num_classes()) - 1;
  for (int label : data.y) top = std::max(top, label);
  return static_cast<std::size_t>(top + 1);
}

std::size_t group_count(const Dataset& data) {
  int top = static_cast<int>(data.group_names.size()) - 1;
  for (int g : data.group) top = std::max(top, g);
  return static_cast<std::size_t>(top + 1);
}

// Test rows wanted from a class of n rows: round(fraction·n), at least 1 when the class has two
// rows or more, and never the whole class (training must see every class).
std::size_t test_quota(double fraction, std::size_t n) {
  if (fraction <= 0.0 || n < 2) return 0;
  auto t = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n)));
  return std::clamp<std::size_t>(t, 1, n - 1);
}

// Groups in a seeded random order, then largest first (stable, so equal sizes keep the seeded
// order): big groups placed first leave small ones to even out the balance.
std::vector<std::size_t> group_order(const std::vector<std::size_t>& sizes, std::uint64_t key) {
  std::vector<std::size_t> order;
  for (std::size_t g = 0; g < sizes.size(); ++g) {
    if (sizes[g] > 0) order.push_back(g);
  }
  CounterRng(key).shuffle(order);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  return order;
}

}  // namespace

HoldoutSplit holdout_split(const Dataset& data, double test_fraction, std::uint64_t seed,
                           bool by_group) {
  RowList all(data.rows);
  std::iota(all.begin(), all.end(), RowIndex{0});
  return holdout_split(data, all, test_fraction, seed, by_group);
}

HoldoutSplit holdout_split(const Dataset& data, const RowList& rows, double test_fraction,
                           std::uint64_t seed, bool by_group) {
  if (!(test_fraction >= 0.0 && test_fraction < 1.0)) {
    throw DataError("holdout split: test fraction must be in [0, 1), got " +
                    std::to_string(test_fraction));
  }
  check_labels(data, "holdout split");
  for (RowIndex r : rows) {
    if (r >= data.rows) {
      throw DataError("holdout split: row index " + std::to_string(r) + " is outside the dataset (" +
                      std::to_string(data.rows) + " rows)");
    }
  }
  const std::size_t classes = class_count(data);
  std::vector<char> is_test(data.rows, 0);

  if (test_fraction > 0.0 && !by_group) {
    std::vector<RowList> by_class(classes);
    for (RowIndex r : rows) by_class[static_cast<std::size_t>(data.y[r])].push_back(r);
    for (std::size_t c = 0; c < classes; ++c) {
      CounterRng(derive_seed(seed, streams::holdout, c)).shuffle(by_class[c]);
      const std::size_t quota = test_quota(test_fraction, by_class[c].size());
      for (std::size_t i = 0; i < quota; ++i) is_test[by_class[c][i]] = 1;
    }
  } else if (test_fraction > 0.0) {
    if (!data.has_groups()) {
      throw DataError("holdout split by group: the dataset has no group column");
    }
    const std::size_t groups = group_count(data);
    std::vector<std::size_t> sizes(groups, 0);
    std::vector<std::vector<std::size_t>> mix(groups, std::vector<std::size_t>(classes, 0));
    std::vector<std::size_t> class_rows(classes, 0);
    for (RowIndex r : rows) {
      const auto g = static_cast<std::size_t>(data.group[r]);
      const auto c = static_cast<std::size_t>(data.y[r]);
      ++sizes[g];
      ++mix[g][c];
      ++class_rows[c];
    }
    const std::vector<std::size_t> order = group_order(sizes, derive_seed(seed, streams::holdout, streams::group));
    if (order.size() < 2) {
      throw DataError("holdout split by group: needs at least 2 groups, got " +
                      std::to_string(order.size()));
    }
    std::vector<double> target(classes);
    for (std::size_t c = 0; c < classes; ++c) {
      target[c] = static_cast<double>(test_quota(test_fraction, class_rows[c]));
    }
    std::vector<double> taken(classes, 0.0);
    auto cost_with = [&](std::size_t g) {
      double cost = 0.0;
      for (std::size_t c = 0; c < classes; ++c) {
        cost += std::fabs(taken[c] + static_cast<double>(g == groups ? 0 : mix[g][c]) - target[c]);
      }
      return cost;
    };
    std::vector<char> test_group(groups, 0);
    std::size_t chosen = 0;
    for (std::size_t g : order) {
      if (chosen + 1 == order.size()) break;  // at least one group stays for training
      if (cost_with(g) < cost_with(groups)) {
        test_group[g] = 1;
        ++chosen;
        for (std::size_t c = 0; c < classes; ++c) taken[c] += static_cast<double>(mix[g][c]);
      }
    }
    if (chosen == 0) {
      // Every group overshoots the target: take the one that overshoots least.
      std::size_t best = order.back();
      for (std::size_t g : order) {
        if (cost_with(g) < cost_with(best)) best = g;
      }
      test_group[best] = 1;
    }
    for (RowIndex r : rows) is_test[r] = test_group[static_cast<std::size_t>(data.group[r])];
  }

  HoldoutSplit split;
  for (RowIndex r : rows) (is_test[r] ? split.test : split.train).push_back(r);
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.test.begin(), split.test.end());
  return split;
}

std::vector<Fold> kfold(const Dataset& data, const RowList& rows, const KFoldOptions& options) {
  const int k = options.folds;
  if (k < 2) throw DataError("k-fold: folds must be at least 2, got " + std::to_string(k));
  if (static_cast<std::size_t>(k) > rows.size()) {
    throw DataError("k-fold: " + std::to_string(k) + " folds need at least " + std::to_string(k) +
                    " rows, got " + std::to_string(rows.size()));
  }
  check_labels(data, "k-fold");
  for (RowIndex r : rows) {
    if (r >= data.rows) {
      throw DataError("k-fold: row index " + std::to_string(r) + " is outside the dataset (" +
                      std::to_string(data.rows) + " rows)");
    }
  }
  const auto folds = static_cast<std::size_t>(k);
  const std::size_t classes = class_count(data);
  std::vector<std::size_t> fold_of(rows.size(), 0);  // by position in `rows`

  if (options.grouped) {
    if (!data.has_groups()) {
      throw DataError("k-fold: grouped cross-validation needs a group column, but the dataset "
                      "has none");
    }
    const std::size_t groups = group_count(data);
    std::vector<std::size_t> sizes(groups, 0);
    std::vector<std::vector<double>> mix(groups, std::vector<double>(classes, 0.0));
    std::vector<double> class_rows(classes, 0.0);
    for (RowIndex r : rows) {
      const auto g = static_cast<std::size_t>(data.group[r]);
      ++sizes[g];
      mix[g][static_cast<std::size_t>(data.y[r])] += 1.0;
      class_rows[static_cast<std::size_t>(data.y[r])] += 1.0;
    }
    const std::vector<std::size_t> order = group_order(sizes, derive_seed(options.seed, streams::kfold, streams::group));
    if (order.size() < folds) {
      throw DataError("k-fold: " + std::to_string(k) + " folds need at least " +
                      std::to_string(k) + " groups" +
                      (data.group_column.empty() ? "" : " of '" + data.group_column + "'") +
                      ", got " + std::to_string(order.size()));
    }
    const double ideal_size = static_cast<double>(rows.size()) / static_cast<double>(folds);
    std::vector<double> ideal(classes);
    for (std::size_t c = 0; c < classes; ++c) ideal[c] = class_rows[c] / static_cast<double>(folds);

    // Greedy: each group (largest first) goes to the fold whose squared deviation from the ideal
    // size and class mix grows least. Folds still empty when only as many groups remain are
    // filled first, so that no fold ends up without validation rows.
    std::vector<double> fold_size(folds, 0.0);
    std::vector<std::vector<double>> fold_mix(folds, std::vector<double>(classes, 0.0));
    std::vector<std::size_t> group_fold(groups, 0);
    std::size_t empty_folds = folds;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const std::size_t g = order[i];
      const auto gsize = static_cast<double>(sizes[g]);
      const bool must_fill = order.size() - i <= empty_folds;
      std::size_t best = folds;
      double best_delta = 0.0;
      for (std::size_t f = 0; f < folds; ++f) {
        if (must_fill && fold_size[f] > 0.0) continue;
        double delta = (fold_size[f] + gsize - ideal_size) * (fold_size[f] + gsize - ideal_size) -
                       (fold_size[f] - ideal_size) * (fold_size[f] - ideal_size);
        if (options.stratified) {
          for (std::size_t c = 0; c < classes; ++c) {
            const double before = fold_mix[f][c] - ideal[c];
            const double after = before + mix[g][c];
            delta += after * after - before * before;
          }
        }
        if (best == folds || delta < best_delta ||
            (delta == best_delta && fold_size[f] < fold_size[best])) {
          best = f;
          best_delta = delta;
        }
      }
      if (fold_size[best] == 0.0) --empty_folds;
      group_fold[g] = best;
      fold_size[best] += gsize;
      for (std::size_t c = 0; c < classes; ++c) fold_mix[best][c] += mix[g][c];
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      fold_of[i] = group_fold[static_cast<std::size_t>(data.group[rows[i]])];
    }
  } else if (options.stratified) {
    // Per class, a seeded shuffle dealt round-robin. Each class starts where the previous one
    // stopped, so fold sizes also stay within one row of each other.
    std::vector<std::vector<std::size_t>> by_class(classes);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      by_class[static_cast<std::size_t>(data.y[rows[i]])].push_back(i);
    }
    std::size_t offset = 0;
    for (std::size_t c = 0; c < classes; ++c) {
      CounterRng(derive_seed(options.seed, streams::kfold, c + 1)).shuffle(by_class[c]);
      for (std::size_t i = 0; i < by_class[c].size(); ++i) {
        fold_of[by_class[c][i]] = (offset + i) % folds;
      }
      offset = (offset + by_class[c].size()) % folds;
    }
  } else {
    std::vector<std::size_t> positions(rows.size());
    std::iota(positions.begin(), positions.end(), std::size_t{0});
    CounterRng(derive_seed(options.seed, streams::kfold, 0)).shuffle(positions);
    for (std::size_t i = 0; i < positions.size(); ++i) fold_of[positions[i]] = i % folds;
  }

  std::vector<Fold> result(folds);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t f = 0; f < folds; ++f) {
      (f == fold_of[i] ? result[f].val : result[f].train).push_back(rows[i]);
    }
  }
  for (Fold& fold : result) {
    std::sort(fold.train.begin(), fold.train.end());
    std::sort(fold.val.begin(), fold.val.end());
  }
  return result;
}

}  // namespace eegsweep
