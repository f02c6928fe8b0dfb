#pragma once
// Searches that hand out trials in synchronous rounds of the slot count: a new round is formed
// only when every stored trial has finished (completed, pruned or failed), and from what they
// stored alone. What is guaranteed: on one process, the same sweep file, seed and slot count (-j)
// give the same trials with the same numbers in the same order, and (on the CPU, whose training
// is bit-identical) the same scores and pruning decisions, whatever the thread timing — a round
// depends only on the rounds before it, each ordered by trial number. Not guaranteed: a resumed
// run whose interruption fell inside a round may judge that round's remaining trials against its
// already finished members; several processes sharing one database form rounds from whatever is
// stored when one of them asks.

#include <memory>

#include "engine/sched/trial_source.h"

namespace eegsweep {

// method: bayes / tpe — TPE (engine/search/tpe.h) over the sweep's parameters, run_cap trials.
// Trials of the round being formed count as running for the ones after them (the constant liar),
// so one round never holds the same suggestion twice; a suggestion equal to a stored trial is
// redrawn (tpe.h; up to 200 times, then the space is taken as exhausted and the search ends).
//
// `rounds` false (`sweep worker`, worker_search.h): no waiting for a round to finish — each
// question is answered at once from whatever is stored, pending and running trials as liars.
class TpeSearch final : public TrialSource {
 public:
  TpeSearch(const SweepSpec& spec, int round_size, bool rounds = true);
  std::vector<TrialRecord> suggest(const std::vector<TrialRecord>& stored) override;
  bool may_suggest_later() const override { return waiting_; }
  int expected_trials() const override { return spec_.run_cap; }

 private:
  SweepSpec spec_;
  int round_size_;
  bool rounds_;
  bool waiting_ = false;
  bool exhausted_ = false;
};

// grid / random with early termination: the same trials as without, handed out in rounds, so that
// every trial is judged against the finished trials of the rounds before it.
class RoundedSearch final : public TrialSource {
 public:
  RoundedSearch(std::unique_ptr<TrialSource> inner, int round_size);
  std::vector<TrialRecord> suggest(const std::vector<TrialRecord>& stored) override;
  bool may_suggest_later() const override { return waiting_; }
  int expected_trials() const override { return inner_->expected_trials(); }

 private:
  std::unique_ptr<TrialSource> inner_;
  int round_size_;
  bool waiting_ = false;
};

// Whether every stored trial has finished (none pending or running).
bool all_finished(const std::vector<TrialRecord>& stored);

}  // namespace eegsweep
