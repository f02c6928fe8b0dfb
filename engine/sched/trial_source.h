#pragma once
// The search: which trials a sweep has. The runner asks it for trials whenever it needs one and
// the store has none left to claim, handing it every trial stored so far (parameters, status and
// scores: the history an adaptive search learns from and resumes from).

#include <memory>
#include <vector>

#include "engine/spec/sweep_spec.h"
#include "results/store.h"

namespace eegsweep {

class TrialSource {
 public:
  virtual ~TrialSource() = default;
  // Trials to add to the store (identity: params_hash; a trial already stored is not added
  // again), numbered after the stored ones. Empty: the search has nothing more to offer.
  virtual std::vector<TrialRecord> suggest(const std::vector<TrialRecord>& stored) = 0;
  // After an empty suggest(): whether the search may have more once an unfinished trial finishes
  // (an adaptive search waits for the results of its last round).
  virtual bool may_suggest_later() const { return false; }
  // How many trials the sweep will have in all, as far as known now (the progress total).
  virtual int expected_trials() const = 0;
};

// grid and random: every trial is known before the first one runs (expand_trials), so each
// question is answered with every trial not stored yet: all of them on a sweep's first run, those
// an edit of the grid added on a later one, and none once they are stored. Trials missing from a
// non-empty store are numbered after the stored ones, so that editing a grid never renumbers
// finished trials.
class ExpandedSearch final : public TrialSource {
 public:
  explicit ExpandedSearch(const SweepSpec& spec);
  std::vector<TrialRecord> suggest(const std::vector<TrialRecord>& stored) override;
  int expected_trials() const override { return static_cast<int>(expanded_.size()); }

 private:
  std::vector<TrialRecord> expanded_;  // in expansion order, numbered from 1
};

// The search the sweep file's `method` asks for. `slots`: the units trained at once; bayes/tpe,
// and grid/random with early_terminate, hand out trials in rounds of that many (rounds.h).
std::unique_ptr<TrialSource> make_trial_source(const SweepSpec& spec, int slots = 1);

}  // namespace eegsweep
