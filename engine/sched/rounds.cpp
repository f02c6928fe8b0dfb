#include "engine/sched/rounds.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/search/tpe.h"
#include "engine/sched/sweep_plan.h"
#include "engine/spec/sampling.h"

namespace eegsweep {

namespace {

constexpr int kMostRedraws = 200;

std::map<std::string, ParamValue> values_of(const std::string& params_json) {
  std::map<std::string, ParamValue> values;
  const nlohmann::json json = nlohmann::json::parse(params_json);  // outlives the loop over it
  for (const auto& [name, v] : json.items()) {
    if (v.is_number_integer()) values[name] = v.get<std::int64_t>();
    else if (v.is_number()) values[name] = v.get<double>();
    else if (v.is_string()) values[name] = v.get<std::string>();
  }
  return values;
}

// The stored trials as TPE's history, by trial number; failed trials teach nothing and are left out.
std::vector<TpeObservation> history_of(std::vector<TrialRecord> stored, bool maximize) {
  std::sort(stored.begin(), stored.end(), [](const TrialRecord& a, const TrialRecord& b) { return a.number < b.number; });
  std::vector<TpeObservation> history;
  for (const auto& t : stored) {
    TpeObservation o;
    o.values = values_of(t.params_json);
    if (t.status == TrialStatus::completed && t.cv_mean) {
      o.state = TpeObservation::State::scored;
      o.loss = maximize ? -*t.cv_mean : *t.cv_mean;
    } else if (t.status == TrialStatus::pruned) {
      o.state = TpeObservation::State::pruned;
    } else if (t.status == TrialStatus::pending || t.status == TrialStatus::running) {
      o.state = TpeObservation::State::running;
    } else {
      continue;
    }
    history.push_back(std::move(o));
  }
  return history;
}

}  // namespace

bool all_finished(const std::vector<TrialRecord>& stored) {
  return std::none_of(stored.begin(), stored.end(), [](const TrialRecord& t) {
    return t.status == TrialStatus::pending || t.status == TrialStatus::running;
  });
}

TpeSearch::TpeSearch(const SweepSpec& spec, int round_size, bool rounds)
    : spec_(spec), round_size_(std::max(1, round_size)), rounds_(rounds) {}

std::vector<TrialRecord> TpeSearch::suggest(const std::vector<TrialRecord>& stored) {
  waiting_ = false;
  const int cap = spec_.run_cap;
  if (exhausted_ || static_cast<int>(stored.size()) >= cap) return {};
  if (rounds_ && !all_finished(stored)) {
    waiting_ = true;
    return {};
  }
  const auto spaces = typed_spaces(spec_);
  std::vector<TpeObservation> history = history_of(stored, spec_.metric.maximize);
  std::set<std::string> known;
  int next_number = 1;
  for (const auto& t : stored) {
    known.insert(t.params_hash);
    next_number = std::max(next_number, t.number + 1);
  }
  std::vector<TrialRecord> round;
  const int size = std::min(round_size_, cap - static_cast<int>(stored.size()));
  for (int i = 0; i < size; ++i, ++next_number) {
    std::optional<Trial> trial;
    for (int attempt = 0; attempt < kMostRedraws && !trial; ++attempt) {
      Trial t = make_trial(tpe_suggest(spaces, history, spec_.seed, next_number, attempt));
      if (!known.count(t.params_hash)) trial = std::move(t);
    }
    if (!trial) {
      exhausted_ = true;
      break;
    }
    TrialRecord r;
    r.number = next_number;
    r.params_json = trial->params_json;
    r.params_hash = trial->params_hash;
    r.seed = trial_seed(spec_, trial->params_hash);
    for (const auto& [name, value] : trial->values) r.params.emplace_back(name, to_string(value));
    known.insert(r.params_hash);
    TpeObservation liar;  // running: ranked worst until it has a score
    liar.values = trial->values;
    liar.state = TpeObservation::State::running;
    history.push_back(std::move(liar));
    round.push_back(std::move(r));
  }
  return round;
}

RoundedSearch::RoundedSearch(std::unique_ptr<TrialSource> inner, int round_size)
    : inner_(std::move(inner)), round_size_(std::max(1, round_size)) {}

std::vector<TrialRecord> RoundedSearch::suggest(const std::vector<TrialRecord>& stored) {
  waiting_ = false;
  if (!all_finished(stored)) {
    waiting_ = true;
    return {};
  }
  std::vector<TrialRecord> all = inner_->suggest(stored);
  if (static_cast<int>(all.size()) > round_size_) all.resize(static_cast<std::size_t>(round_size_));
  return all;
}

}  // namespace eegsweep
