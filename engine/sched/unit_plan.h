#pragma once
// What is ready to run: the (trial, fold) units of the trials this process has claimed, in the
// order they should be trained. Like ninja's Plan beside its Builder, the plan decides and the
// runner (runner.h) acts: the runner claims trials and reports what came back, the plan answers
// "what next". It holds no store, no backend and no threads, so it is tested without training.

#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace eegsweep {

struct Unit {
  std::int64_t trial_id = 0;
  int trial_number = 0;
  int fold = 0;  // from 0
};

class UnitPlan {
 public:
  enum class Order {
    // Every fold of a trial before the next trial's (in the order trials were added): a trial's
    // score is known as early as possible, and few trials are open at once.
    trial_major,
    // The first fold of every trial before any trial's later folds, then the second folds, …:
    // what fold-aware early termination needs (every trial compared on the same split first).
    // Asks for every trial before it runs a later fold.
    fold_major,
  };

  explicit UnitPlan(Order order = Order::trial_major);

  // The runner's next step when a slot is free.
  enum class Step {
    run_unit,     // train next_unit()
    claim_trial,  // claim (or ask the search for) another trial, then ask again
    wait,         // nothing to start now: wait for a unit in flight to come back
    done,         // nothing ready, nothing in flight, no trial left to claim
  };
  Step next_step() const;
  // The unit to train; it counts as in flight until unit_returned(). Only when next_step() is
  // run_unit.
  Unit take_unit();

  // A claimed trial and the folds it still needs (those not stored yet), queued in the plan's
  // order. A trial with no folds left is not added (the runner finishes it at once).
  void add_trial(std::int64_t trial_id, int trial_number, const std::vector<int>& folds);
  // Neither the store nor the search has another trial for this process.
  void no_more_trials();
  // The search has none now but may have once a trial finishes (it suggests in rounds): no
  // trial is asked for until trial_finished().
  void no_trials_until_one_finishes();
  void trial_finished();

  // A unit taken earlier came back (trained, failed or interrupted). Returns whether its trial is
  // still active, i.e. whether the runner should use the result; false once the trial was
  // cancelled (it failed on another fold, or was pruned). A unit that comes back without
  // fold_stored() or cancel_trial() (interrupted: the run is stopping) is not queued again; its
  // trial stays active and is released.
  bool unit_returned(const Unit& unit);
  // The unit's fold is stored. Returns true when that was the trial's last fold: the trial is
  // complete and leaves the plan.
  bool fold_stored(const Unit& unit);
  // Drops the trial and every unit of it that has not started (a failed fold ends its trial; a
  // pruner stops a hopeless one). Units of it still in flight come back with
  // unit_returned() == false.
  void cancel_trial(std::int64_t trial_id);

  bool is_active(std::int64_t trial_id) const;
  // Claimed trials that did not finish (on an interrupt they go back to pending).
  std::vector<std::int64_t> active_trials() const;
  int in_flight() const { return in_flight_; }
  // Folds of the trial neither stored nor cancelled (queued or in flight).
  std::set<int> folds_left(std::int64_t trial_id) const;

 private:
  struct ActiveTrial {
    long sequence = 0;      // order of add_trial
    std::set<int> folds_left;  // queued or in flight
  };
  // Queue position: (trial sequence, fold) or (fold, trial sequence), by order_.
  using Key = std::pair<long, long>;
  Key key(const ActiveTrial& trial, int fold) const;

  Order order_;
  std::map<std::int64_t, ActiveTrial> active_;
  std::map<Key, Unit> ready_;
  long next_sequence_ = 0;
  int in_flight_ = 0;
  bool more_trials_ = true;
  bool more_after_a_finish_ = false;
};

}  // namespace eegsweep
