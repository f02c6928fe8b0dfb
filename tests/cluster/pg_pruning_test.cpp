// The PostgreSQL store's side of early termination in workers, against a real server: fold-major
// claims take fold 1 of every trial first; a pruned trial keeps the fold that stopped it, its
// untrained units are done without a fold and never claimed, a fold another worker was training
// is still stored, and the first reason stays; hyperband reads the fold-1 curves of exactly the
// other trials that reached the band.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "results/pg_store.h"
#include "tests/cluster/pg_test_server.h"
#include "tests/cluster/store_rows.h"

namespace eegsweep {
namespace {

using testing::fresh_database;
using testing::numbered_trials;
using testing::pg_value;
using testing::sweep_row;

// A fold whose validation loss after epoch k (from 0) is losses[k].
FoldRecord fold_with_curve(int fold, const std::vector<double>& losses) {
  FoldRecord f;
  f.fold = fold;
  f.train_rows = 10;
  f.val_rows = 5;
  for (std::size_t k = 0; k < losses.size(); ++k) {
    EpochRecord e;
    e.epoch = static_cast<int>(k);
    e.val.loss = losses[k];
    e.val.accuracy = 1 - losses[k];
    f.epochs.push_back(e);
  }
  f.val = f.epochs.back().val;
  f.confusion = ConfusionMatrix(2);
  f.confusion.add(0, 0);
  return f;
}

std::pair<double, double> mean_loss(const std::vector<FoldRecord>& folds) {
  double sum = 0;
  for (const auto& f : folds) sum += f.val.loss;
  return {sum / static_cast<double>(folds.size()), 0.0};
}

class PgPruning : public ::testing::Test {
 protected:
  // `trials` trials of `folds` folds in a fresh database.
  std::int64_t start(PgStore& store, int trials, int folds) {
    const std::int64_t sweep = store.open_sweep(sweep_row("pruning", "loss"), false);
    const std::vector<TrialRecord> all = numbered_trials(trials);
    store.generate_trials(sweep, folds, [&](const std::vector<TrialRecord>&) { return all; });
    return sweep;
  }
  LeasePolicy lease_;
};

TEST_F(PgPruning, FoldMajorClaimsTakeFoldOneOfEveryTrialFirst) {
  REQUIRE_PG_SERVER(server);
  PgStore store(fresh_database(server));
  const std::int64_t sweep = start(store, 3, 2);
  std::vector<std::string> order;
  while (auto claim = store.claim_unit(sweep, "w", lease_, ClaimOrder::fold_major)) {
    order.push_back(std::to_string(claim->trial.number) + "/" + std::to_string(claim->fold));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"1/0", "2/0", "3/0", "1/1", "2/1", "3/1"}));
}

TEST_F(PgPruning, TrialMajorStaysTheDefault) {
  REQUIRE_PG_SERVER(server);
  PgStore store(fresh_database(server));
  const std::int64_t sweep = start(store, 2, 2);
  std::vector<std::string> order;
  while (auto claim = store.claim_unit(sweep, "w", lease_)) {
    order.push_back(std::to_string(claim->trial.number) + "/" + std::to_string(claim->fold));
  }
  EXPECT_EQ(order, (std::vector<std::string>{"1/0", "1/1", "2/0", "2/1"}));
}

TEST_F(PgPruning, APrunedTrialKeepsItsFoldsAndNoUnitOfItIsClaimedAgain) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore store(url);
  const std::int64_t sweep = start(store, 2, 3);
  const UnitClaim first = *store.claim_unit(sweep, "a", lease_);   // trial 1, fold 0
  const UnitClaim second = *store.claim_unit(sweep, "b", lease_);  // trial 1, fold 1
  ASSERT_EQ(first.trial.number, 1);
  ASSERT_EQ(second.trial.number, 1);
  ASSERT_EQ(second.fold, 1);

  ASSERT_TRUE(store.prune_unit(first, "a", fold_with_curve(0, {0.9, 0.8}), "pruned by test A", mean_loss));
  EXPECT_EQ(pg_value(url, "SELECT status || ': ' || error FROM trials WHERE number = 1"), "pruned: pruned by test A");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM epochs e JOIN trials t ON t.id = e.trial_id WHERE t.number = 1"), "2");
  // Fold 2 was never claimed: done without a fold. Fold 1 is still being trained by "b".
  EXPECT_EQ(pg_value(url, "SELECT u.status || ': ' || u.error FROM units u JOIN trials t ON t.id = u.trial_id "
                          "WHERE t.number = 1 AND u.fold = 2"),
            "done: not trained: the trial was pruned");
  // Only trial 2's three units are left; a claim never returns trial 1's.
  const UnitCounts counts = store.unit_counts(sweep);
  EXPECT_EQ(counts.pending, 3);
  EXPECT_EQ(counts.running, 0);  // trial 1's fold that "b" trains is not waited for
  const UnitClaim next = *store.claim_unit(sweep, "a", lease_);
  EXPECT_EQ(next.trial.number, 2);

  // "b" finishes its fold and judges it bad too: the fold is kept, the first reason stays.
  ASSERT_TRUE(store.prune_unit(second, "b", fold_with_curve(1, {0.7}), "pruned by test B", mean_loss));
  EXPECT_EQ(pg_value(url, "SELECT status || ': ' || error FROM trials WHERE number = 1"), "pruned: pruned by test A");
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM folds f JOIN trials t ON t.id = f.trial_id WHERE t.number = 1"), "2");
  // Recording (not pruning) a fold of a pruned trial does not complete it.
  store.release_unit(next, "a");
  const UnitClaim again = *store.claim_unit(sweep, "a", lease_);
  ASSERT_TRUE(store.record_unit(again, "a", fold_with_curve(again.fold, {0.5}), mean_loss));
  EXPECT_EQ(pg_value(url, "SELECT status FROM trials WHERE number = 1"), "pruned");

  // A claim that no longer holds prunes nothing and writes nothing.
  UnitClaim stale = again;
  stale.attempt += 1;
  EXPECT_FALSE(store.prune_unit(stale, "a", fold_with_curve(again.fold, {0.1}), "pruned by nobody", mean_loss));
  EXPECT_EQ(pg_value(url, "SELECT status FROM trials WHERE number = 2"), "running");
}

TEST_F(PgPruning, HandingBackAUnitOfAPrunedTrialDoesNotMakeItClaimable) {
  REQUIRE_PG_SERVER(server);
  const std::string url = fresh_database(server);
  PgStore store(url);
  const std::int64_t sweep = start(store, 1, 2);
  const UnitClaim first = *store.claim_unit(sweep, "a", lease_);
  const UnitClaim second = *store.claim_unit(sweep, "b", lease_);
  ASSERT_TRUE(store.prune_unit(first, "a", fold_with_curve(0, {0.9}), "pruned by test", mean_loss));
  store.release_unit(second, "b");  // "b" was stopped by a signal
  EXPECT_EQ(pg_value(url, "SELECT COUNT(*) FROM units WHERE status = 'done'"), "2");
  EXPECT_FALSE(store.claim_unit(sweep, "c", lease_).has_value());
  EXPECT_EQ(store.unit_counts(sweep).unfinished(), 0);
}

TEST_F(PgPruning, FirstFoldCurvesAreThoseOfTheOtherTrialsThatReachedTheBand) {
  REQUIRE_PG_SERVER(server);
  PgStore store(fresh_database(server));
  const std::int64_t sweep = start(store, 4, 1);
  // Trial 1 trains 3 epochs, trial 2 is pruned after 1, trial 3 (the one asking) trains 3, trial
  // 4 trains 3 and then fails (a failed trial's curve is not compared with).
  const UnitClaim t1 = *store.claim_unit(sweep, "w", lease_);
  const UnitClaim t2 = *store.claim_unit(sweep, "w", lease_);
  const UnitClaim t3 = *store.claim_unit(sweep, "w", lease_);
  const UnitClaim t4 = *store.claim_unit(sweep, "w", lease_);
  ASSERT_TRUE(store.record_unit(t1, "w", fold_with_curve(0, {0.9, 0.6, 0.4}), mean_loss));
  ASSERT_TRUE(store.prune_unit(t2, "w", fold_with_curve(0, {0.95}), "pruned by test", mean_loss));
  ASSERT_TRUE(store.record_unit(t3, "w", fold_with_curve(0, {0.8, 0.7, 0.6}), mean_loss));
  ASSERT_TRUE(store.record_unit(t4, "w", fold_with_curve(0, {0.1, 0.1, 0.1}), mean_loss));
  store.fail_trial(t4.trial.id, "failed by test");

  auto first_losses = [](const std::vector<std::vector<EpochRecord>>& curves) {
    std::vector<std::vector<double>> out;
    for (const auto& curve : curves) {
      out.emplace_back();
      for (const auto& e : curve) out.back().push_back(e.val.loss);
    }
    return out;
  };
  using Curves = std::vector<std::vector<double>>;
  EXPECT_EQ(first_losses(store.first_fold_curves(sweep, t3.trial.id, 1)), (Curves{{0.9}, {0.95}}));
  EXPECT_EQ(first_losses(store.first_fold_curves(sweep, t3.trial.id, 2)), (Curves{{0.9, 0.6}}));
  EXPECT_EQ(first_losses(store.first_fold_curves(sweep, t2.trial.id, 3)), (Curves{{0.9, 0.6, 0.4}, {0.8, 0.7, 0.6}}));
  EXPECT_TRUE(store.first_fold_curves(sweep, t3.trial.id, 4).empty());
}

}  // namespace
}  // namespace eegsweep
