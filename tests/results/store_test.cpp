// One process, one Store: sweeps, trials, claims, folds, final runs, and the SQL views.

#include <cmath>
#include <set>

#include "tests/results/store_test_util.h"

namespace eegsweep {
namespace {

using test::kEveryoneAlive;
using test::make_fold;
using test::make_sweep_info;
using test::make_trials;
using test::sql_rows;
using test::TempDir;

class StoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string path_ = dir_.file("results.db");
  Store store_{path_};
};

void expect_metrics_eq(const Metrics& actual, const Metrics& expected) {
  EXPECT_DOUBLE_EQ(actual.loss, expected.loss);
  EXPECT_DOUBLE_EQ(actual.accuracy, expected.accuracy);
  EXPECT_DOUBLE_EQ(actual.precision_macro, expected.precision_macro);
  EXPECT_DOUBLE_EQ(actual.recall_macro, expected.recall_macro);
  EXPECT_DOUBLE_EQ(actual.f1_macro, expected.f1_macro);
  EXPECT_EQ(actual.precision, expected.precision);
  EXPECT_EQ(actual.recall, expected.recall);
  EXPECT_EQ(actual.f1, expected.f1);
}

void complete(Store& store, std::int64_t sweep, int number, double cv_mean) {
  const auto trial = store.trial(sweep, number);
  ASSERT_TRUE(trial.has_value());
  store.finish_trial(trial->id, TrialStatus::completed, "", cv_mean, 0.01 * number);
}

TEST(TrialStatusNames, RoundTripAndRejectUnknown) {
  for (TrialStatus s : {TrialStatus::pending, TrialStatus::running, TrialStatus::completed,
                        TrialStatus::pruned, TrialStatus::failed}) {
    EXPECT_EQ(parse_status(status_name(s)), s);
  }
  EXPECT_THROW(parse_status("done"), StoreError);
}

TEST_F(StoreTest, SweepRoundTripsEveryField) {
  const SweepInfo info = make_sweep_info("grid");
  const std::int64_t id = store_.open_sweep(info, false);
  const auto read = store_.sweep(id);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->id, id);
  EXPECT_EQ(read->name, info.name);
  EXPECT_EQ(read->description, info.description);
  EXPECT_EQ(read->spec_path, info.spec_path);
  EXPECT_EQ(read->spec_text, info.spec_text);
  EXPECT_EQ(read->identity_hash, info.identity_hash);
  EXPECT_EQ(read->overrides_json, info.overrides_json);
  EXPECT_EQ(read->dataset_source, info.dataset_source);
  EXPECT_EQ(read->dataset_hash, info.dataset_hash);
  EXPECT_EQ(read->dataset_rows, info.dataset_rows);
  EXPECT_EQ(read->dataset_features, info.dataset_features);
  EXPECT_EQ(read->class_names, info.class_names);
  EXPECT_EQ(read->metric_name, info.metric_name);
  EXPECT_EQ(read->maximize, info.maximize);
  EXPECT_EQ(read->seed, info.seed);
  EXPECT_EQ(read->engine_version, info.engine_version);
  EXPECT_EQ(read->host, info.host);
  EXPECT_EQ(read->device, info.device);
  EXPECT_EQ(read->created_at.size(), std::string("2024-01-01T00:00:00.000Z").size())
      << read->created_at;
  EXPECT_EQ(read->created_at.back(), 'Z');
  EXPECT_FALSE(store_.sweep(id + 100).has_value());
}

TEST_F(StoreTest, OpenSweepReusesSameIdentityUnlessFresh) {
  const SweepInfo info = make_sweep_info("grid");
  const std::int64_t first = store_.open_sweep(info, false);
  EXPECT_EQ(store_.open_sweep(info, false), first);
  const std::int64_t fresh = store_.open_sweep(info, true);
  EXPECT_NE(fresh, first);
  // The newest of the same identity is the one reused from now on.
  EXPECT_EQ(store_.open_sweep(info, false), fresh);

  SweepInfo edited = info;
  edited.identity_hash = "identity-after-an-edit";
  const std::int64_t other = store_.open_sweep(edited, false);
  EXPECT_NE(other, first);
  EXPECT_NE(other, fresh);

  // Same path and settings but other data content (a file replaced in place): a new sweep.
  SweepInfo new_data = edited;
  new_data.dataset_hash = "hash-of-the-replaced-file";
  const std::int64_t replaced = store_.open_sweep(new_data, false);
  EXPECT_NE(replaced, other);
  EXPECT_EQ(store_.open_sweep(edited, false), other);

  const std::int64_t second_name = store_.open_sweep(make_sweep_info("random"), false);
  ASSERT_TRUE(store_.latest_sweep().has_value());
  EXPECT_EQ(store_.latest_sweep()->id, second_name);
  EXPECT_EQ(store_.latest_sweep("grid")->id, replaced);
  EXPECT_FALSE(store_.latest_sweep("nope").has_value());
}

TEST_F(StoreTest, AddTrialsIsIdempotentAndKeepsResults) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(3));
  const auto claimed = store_.claim_trial(sweep, "host:1", kEveryoneAlive);
  ASSERT_TRUE(claimed.has_value());
  store_.record_fold(claimed->id, make_fold(0, 0.8));
  store_.finish_trial(claimed->id, TrialStatus::completed, "", 0.8, 0.0);

  // A rerun of the same file adds the same trials again, plus one more.
  store_.add_trials(sweep, make_trials(4));
  const auto trials = store_.trials(sweep);
  ASSERT_EQ(trials.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(trials[i].number, i);
    EXPECT_EQ(trials[i].params_hash, "hash-" + std::to_string(i));
    EXPECT_EQ(trials[i].seed, 1000u + i);
  }
  EXPECT_EQ(trials[0].id, claimed->id);
  EXPECT_EQ(trials[0].status, TrialStatus::completed);
  ASSERT_TRUE(trials[0].cv_mean.has_value());
  EXPECT_DOUBLE_EQ(*trials[0].cv_mean, 0.8);
  EXPECT_EQ(trials[0].folds_done, 1);
  EXPECT_EQ(trials[3].status, TrialStatus::pending);
  EXPECT_EQ(trials[3].params, test::make_trial(3).params);
  EXPECT_EQ(sql_rows(path_, "SELECT count(*) FROM trial_params")[0][0], "12");
}

TEST_F(StoreTest, AddTrialsMovesANewTrialOffATakenNumber) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(2));
  TrialRecord stranger = test::make_trial(1);
  stranger.params_hash = "hash-of-other-params";
  store_.add_trials(sweep, {stranger});
  const auto trials = store_.trials(sweep);
  ASSERT_EQ(trials.size(), 3u);
  EXPECT_EQ(trials[1].params_hash, "hash-1");
  EXPECT_EQ(trials[2].params_hash, "hash-of-other-params");
  EXPECT_EQ(trials[2].number, 2);
}

TEST_F(StoreTest, AddTrialsDerivesParamRowsFromJsonWhenNoneGiven) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  TrialRecord trial;
  trial.number = 0;
  trial.params_hash = "h";
  trial.params_json = R"({"units": 32, "optimizer": {"name": "adam", "lr": 0.01}})";
  store_.add_trials(sweep, {trial});
  EXPECT_EQ(sql_rows(path_,
                     "SELECT name, value, value_num FROM trial_params ORDER BY name"),
            (std::vector<std::vector<std::string>>{
                {"optimizer.lr", "0.01", "0.01"},
                {"optimizer.name", "adam", "NULL"},
                {"units", "32", "32.0"}}));
}

TEST_F(StoreTest, AddTrialsToMissingSweepNamesIt) {
  try {
    store_.add_trials(42, make_trials(1));
    FAIL() << "no StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("no sweep with id 42"), std::string::npos) << e.what();
  }
}

TEST_F(StoreTest, ClaimsInNumberOrderThenNone) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  auto trials = make_trials(3);
  std::swap(trials[0], trials[2]);  // insertion order must not matter
  store_.add_trials(sweep, trials);
  for (int expected = 0; expected < 3; ++expected) {
    const auto claimed = store_.claim_trial(sweep, "host:7", kEveryoneAlive);
    ASSERT_TRUE(claimed.has_value());
    EXPECT_EQ(claimed->number, expected);
    EXPECT_EQ(claimed->status, TrialStatus::running);
    EXPECT_FALSE(claimed->started_at.empty());
    EXPECT_EQ(claimed->params, test::make_trial(expected).params);
  }
  EXPECT_FALSE(store_.claim_trial(sweep, "host:7", kEveryoneAlive).has_value());
  EXPECT_EQ(sql_rows(path_, "SELECT DISTINCT owner FROM trials"),
            (std::vector<std::vector<std::string>>{{"host:7"}}));
}

TEST_F(StoreTest, ReclaimsTrialsOfDeadOwnersOnly) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(3));
  const auto a = store_.claim_trial(sweep, "host:100", kEveryoneAlive);
  const auto b = store_.claim_trial(sweep, "host:200", kEveryoneAlive);
  ASSERT_TRUE(a && b);
  store_.record_fold(a->id, make_fold(0, 0.7));

  // host:100 has died; host:200 and the claimer itself are alive.
  const OwnerAlive only_100_dead = [](const std::string& owner) { return owner != "host:100"; };
  const auto reclaimed = store_.claim_trial(sweep, "host:300", only_100_dead);
  ASSERT_TRUE(reclaimed.has_value());
  EXPECT_EQ(reclaimed->number, a->number);
  EXPECT_EQ(reclaimed->folds_done, 1);  // resume keeps what the dead owner stored
  EXPECT_EQ(store_.completed_folds(reclaimed->id), std::vector<int>{0});

  const auto next = store_.claim_trial(sweep, "host:300", only_100_dead);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->number, 2);
  // host:200 is alive: its trial is not taken, and an empty liveness test steals nothing.
  EXPECT_FALSE(store_.claim_trial(sweep, "host:300", only_100_dead).has_value());
  EXPECT_FALSE(store_.claim_trial(sweep, "host:300", OwnerAlive{}).has_value());
  EXPECT_EQ(sql_rows(path_, "SELECT owner FROM trials ORDER BY number"),
            (std::vector<std::vector<std::string>>{{"host:300"}, {"host:200"}, {"host:300"}}));
}

TEST_F(StoreTest, ReleaseAndFinishSetStatusOwnerAndTimes) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(2));
  auto first = store_.claim_trial(sweep, "host:1", kEveryoneAlive);
  ASSERT_TRUE(first.has_value());
  store_.release_trial(first->id);
  auto again = store_.claim_trial(sweep, "host:2", kEveryoneAlive);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->id, first->id);  // released work is the first to be claimed again

  store_.finish_trial(again->id, TrialStatus::failed, "non-finite loss at epoch 3", std::nullopt,
                      std::nullopt);
  const auto failed = store_.trial(sweep, again->number);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->status, TrialStatus::failed);
  EXPECT_EQ(failed->error, "non-finite loss at epoch 3");
  EXPECT_FALSE(failed->cv_mean.has_value());
  EXPECT_FALSE(failed->finished_at.empty());
  EXPECT_EQ(sql_rows(path_, "SELECT owner IS NULL FROM trials WHERE id = " +
                                std::to_string(failed->id))[0][0],
            "1");
  EXPECT_THROW(store_.finish_trial(9999, TrialStatus::completed, "", 1.0, 0.0), StoreError);
}

TEST_F(StoreTest, RecordFoldRoundTripsMetricsEpochsAndConfusion) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(1));
  const auto trial = store_.claim_trial(sweep, "host:1", kEveryoneAlive);
  ASSERT_TRUE(trial.has_value());
  const FoldRecord f1 = make_fold(1, 0.75);
  const FoldRecord f0 = make_fold(0, 0.8);
  store_.record_fold(trial->id, f1);
  store_.record_fold(trial->id, f0);

  const auto folds = store_.folds(trial->id);
  ASSERT_EQ(folds.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const FoldRecord& expected = i == 0 ? f0 : f1;
    const FoldRecord& actual = folds[i];
    EXPECT_EQ(actual.fold, expected.fold);
    EXPECT_EQ(actual.train_rows, expected.train_rows);
    EXPECT_EQ(actual.val_rows, expected.val_rows);
    EXPECT_EQ(actual.best_epoch, expected.best_epoch);
    expect_metrics_eq(actual.val, expected.val);
    EXPECT_EQ(actual.confusion.classes, expected.confusion.classes);
    EXPECT_EQ(actual.confusion.counts, expected.confusion.counts);
    EXPECT_DOUBLE_EQ(actual.seconds, expected.seconds);
    EXPECT_EQ(actual.backend_detail, expected.backend_detail);
    ASSERT_EQ(actual.epochs.size(), expected.epochs.size());
    for (std::size_t e = 0; e < expected.epochs.size(); ++e) {
      EXPECT_EQ(actual.epochs[e].epoch, expected.epochs[e].epoch);
      EXPECT_DOUBLE_EQ(actual.epochs[e].train_loss, expected.epochs[e].train_loss);
      EXPECT_DOUBLE_EQ(actual.epochs[e].val.loss, expected.epochs[e].val.loss);
      EXPECT_DOUBLE_EQ(actual.epochs[e].val.accuracy, expected.epochs[e].val.accuracy);
      EXPECT_DOUBLE_EQ(actual.epochs[e].val.f1_macro, expected.epochs[e].val.f1_macro);
      EXPECT_DOUBLE_EQ(actual.epochs[e].seconds, expected.epochs[e].seconds);
    }
  }
  EXPECT_EQ(store_.completed_folds(trial->id), (std::vector<int>{0, 1}));
  EXPECT_EQ(store_.trial(sweep, 0)->folds_done, 2);
}

TEST_F(StoreTest, RecordFoldTwiceReplacesInsteadOfDuplicating) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(1));
  const auto trial = store_.claim_trial(sweep, "host:1", kEveryoneAlive);
  ASSERT_TRUE(trial.has_value());
  store_.record_fold(trial->id, make_fold(0, 0.6, 3, 6));
  const FoldRecord redo = make_fold(0, 0.9, 2, 2);  // fewer epochs, fewer classes
  store_.record_fold(trial->id, redo);

  const auto folds = store_.folds(trial->id);
  ASSERT_EQ(folds.size(), 1u);
  EXPECT_DOUBLE_EQ(folds[0].val.accuracy, 0.9);
  EXPECT_EQ(folds[0].epochs.size(), 2u);
  EXPECT_EQ(folds[0].confusion.classes, 2);
  EXPECT_EQ(folds[0].confusion.counts, redo.confusion.counts);
  EXPECT_EQ(sql_rows(path_, "SELECT count(*) FROM epochs")[0][0], "2");
  EXPECT_EQ(sql_rows(path_, "SELECT count(*) FROM confusion")[0][0], "4");
}

TEST_F(StoreTest, RecordFoldRejectsMalformedConfusionAndLeavesNothing) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(1));
  const auto trial = store_.claim_trial(sweep, "host:1", kEveryoneAlive);
  FoldRecord bad = make_fold(0, 0.5);
  bad.confusion.counts.pop_back();
  EXPECT_THROW(store_.record_fold(trial->id, bad), StoreError);
  EXPECT_THROW(store_.record_fold(12345, make_fold(0, 0.5)), StoreError);
  EXPECT_EQ(sql_rows(path_, "SELECT (SELECT count(*) FROM folds) + (SELECT count(*) FROM epochs)"
                            " + (SELECT count(*) FROM confusion)")[0][0],
            "0");
}

TEST_F(StoreTest, BestTrialHonoursMaximizeAndBreaksTiesByNumber) {
  const std::int64_t up = store_.open_sweep(make_sweep_info("up", true), false);
  const std::int64_t down = store_.open_sweep(make_sweep_info("down", false), false);
  EXPECT_FALSE(store_.best_trial(up).has_value());
  for (std::int64_t sweep : {up, down}) {
    store_.add_trials(sweep, make_trials(5));
    complete(store_, sweep, 0, 0.5);
    complete(store_, sweep, 1, 0.9);
    complete(store_, sweep, 2, 0.2);
    complete(store_, sweep, 3, 0.9);
    // A failed trial never wins, whatever it recorded.
    const auto failed = store_.trial(sweep, 4);
    store_.finish_trial(failed->id, TrialStatus::failed, "boom", 100.0, std::nullopt);
  }
  EXPECT_EQ(store_.best_trial(up)->number, 1);
  EXPECT_EQ(store_.best_trial(down)->number, 2);
  store_.finish_trial(store_.trial(down, 4)->id, TrialStatus::completed, "", -1.0, 0.0);
  EXPECT_EQ(store_.best_trial(down)->number, 4);
}

TEST_F(StoreTest, FinalRunsRoundTripWithTestConfusion) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(2));
  const auto trial = store_.trial(sweep, 1);
  FinalRunRecord run;
  run.trial_id = trial->id;
  run.kind = "final";
  run.epochs = 12;
  run.test = test::make_metrics(0.85, 3);
  run.confusion = make_fold(2, 0.0).confusion;
  run.weights_hash = "w-abc";
  run.device = "NVIDIA H100";
  run.seconds = 3.25;
  const std::int64_t first = store_.record_final_run(run);
  FinalRunRecord again = run;
  again.kind = "reproduce";
  again.test.accuracy = 0.84;
  const std::int64_t second = store_.record_final_run(again);
  EXPECT_NE(first, second);

  const auto runs = store_.final_runs(sweep);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, first);
  EXPECT_EQ(runs[0].trial_id, trial->id);
  EXPECT_EQ(runs[0].kind, "final");
  EXPECT_EQ(runs[0].epochs, 12);
  expect_metrics_eq(runs[0].test, run.test);
  EXPECT_EQ(runs[0].confusion.counts, run.confusion.counts);
  EXPECT_EQ(runs[0].weights_hash, "w-abc");
  EXPECT_EQ(runs[0].device, "NVIDIA H100");
  EXPECT_DOUBLE_EQ(runs[0].seconds, 3.25);
  EXPECT_FALSE(runs[0].created_at.empty());
  EXPECT_EQ(runs[1].kind, "reproduce");
  EXPECT_DOUBLE_EQ(runs[1].test.accuracy, 0.84);

  // A second "final" score of the same trial (two processes finishing together) is not stored.
  FinalRunRecord late = run;
  late.test.accuracy = 0.5;
  EXPECT_EQ(store_.record_final_run(late), first);
  EXPECT_EQ(store_.final_runs(sweep).size(), 2u);

  FinalRunRecord wrong = run;
  wrong.kind = "best";
  EXPECT_THROW(store_.record_final_run(wrong), StoreError);
  // Test confusions are apart from fold confusions.
  EXPECT_TRUE(store_.folds(trial->id).empty());
}

TEST_F(StoreTest, ConfusionNamedViewShowsClassNamesForFoldsAndFinalRuns) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(1));
  const auto trial = store_.trial(sweep, 0);
  store_.record_fold(trial->id, make_fold(0, 0.5));
  FinalRunRecord run;
  run.trial_id = trial->id;
  run.kind = "final";
  run.test = test::make_metrics(0.8, 3);
  run.confusion = ConfusionMatrix(3);
  run.confusion.add(2, 0);
  run.confusion.add(2, 0);
  store_.record_final_run(run);

  // make_fold stores 10·true + predicted + fold in each cell.
  EXPECT_EQ(sql_rows(path_,
                     "SELECT source, true_name, predicted_name, count FROM confusion_named "
                     "WHERE fold = 0 AND true_class = 2 AND predicted_class = 1"),
            (std::vector<std::vector<std::string>>{{"fold", "POSITIVE", "NEUTRAL", "21"}}));
  EXPECT_EQ(sql_rows(path_,
                     "SELECT source, true_name, predicted_name, count FROM confusion_named "
                     "WHERE final_run_id IS NOT NULL AND count > 0"),
            (std::vector<std::vector<std::string>>{{"final", "POSITIVE", "NEGATIVE", "2"}}));
}

TEST_F(StoreTest, LeaderboardViewRanksCompletedTrialsByGoal) {
  const std::int64_t up = store_.open_sweep(make_sweep_info("up", true), false);
  store_.add_trials(up, make_trials(4));
  for (int n = 0; n < 4; ++n) {
    const auto t = store_.trial(up, n);
    store_.record_fold(t->id, make_fold(0, 0.5 + 0.1 * n));
    store_.record_fold(t->id, make_fold(1, 0.3 + 0.1 * n));
  }
  complete(store_, up, 0, 0.6);
  complete(store_, up, 1, 0.8);
  complete(store_, up, 2, 0.6);
  // trial 3 stays running: not on the leaderboard

  const auto rows = sql_rows(path_,
                             "SELECT rank, sweep, trial, folds, printf('%.2f', accuracy) FROM "
                             "leaderboard");
  EXPECT_EQ(rows, (std::vector<std::vector<std::string>>{{"1", "up", "1", "2", "0.50"},
                                                         {"2", "up", "0", "2", "0.40"},
                                                         {"2", "up", "2", "2", "0.60"}}));

  const std::int64_t down = store_.open_sweep(make_sweep_info("down", false), false);
  store_.add_trials(down, make_trials(3));
  complete(store_, down, 0, 0.6);
  complete(store_, down, 1, 0.8);
  complete(store_, down, 2, 0.4);
  EXPECT_EQ(sql_rows(path_, "SELECT sweep, trial, rank FROM leaderboard LIMIT 3"),
            (std::vector<std::vector<std::string>>{
                {"down", "2", "1"}, {"down", "0", "2"}, {"down", "1", "3"}}));
}

TEST_F(StoreTest, TrialParamsFilterNumericallyInPlainSql) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(12));  // units 16, 32, …, 192
  // As text '128' < '64'; value_num compares as numbers.
  EXPECT_EQ(sql_rows(path_,
                     "SELECT t.number FROM trials t JOIN trial_params p ON p.trial_id = t.id "
                     "WHERE p.name = 'units' AND p.value_num >= 128 ORDER BY t.number"),
            (std::vector<std::vector<std::string>>{{"7"}, {"8"}, {"9"}, {"10"}, {"11"}}));
  EXPECT_EQ(sql_rows(path_,
                     "SELECT count(*) FROM trial_params WHERE name = 'optimizer' AND value = "
                     "'adam' AND value_num IS NULL")[0][0],
            "6");
}

TEST_F(StoreTest, QueryIsReadOnlyAndTyped) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(2));
  const QueryResult result =
      store_.query("SELECT number, params_hash, cv_mean, 0.5 FROM trials WHERE sweep_id = ? "
                   "ORDER BY number",
                   {SqlValue{sweep}});
  EXPECT_EQ(result.columns,
            (std::vector<std::string>{"number", "params_hash", "cv_mean", "0.5"}));
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(std::get<std::int64_t>(result.rows[1][0]), 1);
  EXPECT_EQ(std::get<std::string>(result.rows[1][1]), "hash-1");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(result.rows[1][2]));
  EXPECT_DOUBLE_EQ(std::get<double>(result.rows[1][3]), 0.5);

  EXPECT_THROW(store_.query("DELETE FROM trials"), StoreError);
  EXPECT_THROW(store_.query("SELECT no_such_column FROM trials"), StoreError);
  EXPECT_EQ(store_.trials(sweep).size(), 2u);
  // The store still writes after a refused query.
  store_.add_trials(sweep, make_trials(3));
  EXPECT_EQ(store_.trials(sweep).size(), 3u);
}

TEST_F(StoreTest, LeaderboardQueryFiltersSortsAndLimitsWithParamColumns) {
  const std::int64_t sweep = store_.open_sweep(make_sweep_info("grid"), false);
  store_.add_trials(sweep, make_trials(6));
  for (int n = 0; n < 6; ++n) complete(store_, sweep, n, 0.1 * n);

  const QueryResult all = store_.leaderboard(sweep);
  ASSERT_EQ(all.rows.size(), 6u);
  const auto column = [&](const QueryResult& r, const std::string& name) {
    const auto it = std::find(r.columns.begin(), r.columns.end(), name);
    EXPECT_NE(it, r.columns.end()) << name;
    return static_cast<std::size_t>(it - r.columns.begin());
  };
  const std::size_t trial = column(all, "trial");
  std::vector<std::int64_t> order;
  for (const auto& row : all.rows) order.push_back(std::get<std::int64_t>(row[trial]));
  EXPECT_EQ(order, (std::vector<std::int64_t>{5, 4, 3, 2, 1, 0}));

  LeaderboardQuery q;
  q.where = "units >= 48 and optimizer = 'sgd'";  // numbers 3 and 5 (sgd is odd)
  q.sort_by = "units";
  q.top = 1;
  const QueryResult filtered = store_.leaderboard(sweep, q);
  ASSERT_EQ(filtered.rows.size(), 1u);
  EXPECT_EQ(std::get<std::int64_t>(filtered.rows[0][column(filtered, "trial")]), 3);
  EXPECT_EQ(std::get<std::int64_t>(filtered.rows[0][column(filtered, "units")]), 64);
  EXPECT_DOUBLE_EQ(std::get<double>(filtered.rows[0][column(filtered, "lr")]), 0.004);

  q.descending = true;
  EXPECT_EQ(std::get<std::int64_t>(store_.leaderboard(sweep, q).rows[0][trial]), 5);

  LeaderboardQuery bad_sort;
  bad_sort.sort_by = "nope";
  try {
    store_.leaderboard(sweep, bad_sort);
    FAIL() << "no StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("units"), std::string::npos) << e.what();
  }
  LeaderboardQuery bad_where;
  bad_where.where = "colour = 'red'";
  EXPECT_THROW(store_.leaderboard(sweep, bad_where), StoreError);
}

}  // namespace
}  // namespace eegsweep
