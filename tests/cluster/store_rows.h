// The rows the PostgreSQL store tests start from: a sweep and its numbered trials.
#pragma once

#include <string>
#include <vector>

#include "results/store.h"

namespace eegsweep::testing {

inline SweepInfo sweep_row(const std::string& name, const std::string& metric = "accuracy") {
  SweepInfo info;
  info.name = name;
  info.identity_hash = "identity-" + name;
  info.dataset_hash = "data";
  info.class_names = {"a", "b"};
  info.metric_name = metric;
  info.maximize = true;
  info.seed = 7;
  return info;
}

// Trials 1..count, each with its own hidden size, hash and seed.
inline std::vector<TrialRecord> numbered_trials(int count) {
  std::vector<TrialRecord> trials;
  for (int i = 1; i <= count; ++i) {
    TrialRecord t;
    t.number = i;
    t.params_json = "{\"hidden_size\": " + std::to_string(8 * i) + "}";
    t.params_hash = "hash" + std::to_string(i);
    t.seed = 100 + i;
    trials.push_back(t);
  }
  return trials;
}

}  // namespace eegsweep::testing
