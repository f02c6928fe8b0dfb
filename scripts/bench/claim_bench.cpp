// Claim/record throughput of the PostgreSQL unit queue with trivial training: W threads, each a
// worker with its own connection, claim a unit, record a fold of realistic size (E epochs, a
// 3 × 3 confusion matrix) and claim the next, until U units are done.
// Usage: claim_bench URL [units] [workers] [epochs]   (defaults 2000 4 10)
// URL names an empty database (scripts/bench/run_claim_bench.sh starts a throwaway server).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "results/pg_store.h"

using namespace eegsweep;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: claim_bench URL [units] [workers] [epochs]\n");
    return 64;
  }
  const std::string url = argv[1];
  const int units = argc > 2 ? std::atoi(argv[2]) : 2000;
  const int workers = argc > 3 ? std::atoi(argv[3]) : 4;
  const int epochs = argc > 4 ? std::atoi(argv[4]) : 10;
  const int folds = 5;
  try {
    PgStore setup(url);
    SweepInfo info;
    info.name = "claim-bench-" + std::to_string(workers);
    info.identity_hash = info.name;
    info.metric_name = "accuracy";
    info.class_names = {"a", "b", "c"};
    const std::int64_t sweep = setup.open_sweep(info, true);
    std::vector<TrialRecord> trials;
    for (int i = 1; i <= units / folds; ++i) {
      TrialRecord t;
      t.number = i;
      t.params_json = "{\"hidden_size\": " + std::to_string(i) + "}";
      t.params_hash = "h" + std::to_string(i);
      trials.push_back(t);
    }
    setup.generate_trials(sweep, folds, [&](const std::vector<TrialRecord>&) { return trials; });

    FoldRecord fold;
    fold.train_rows = 1000;
    fold.val_rows = 250;
    fold.val.accuracy = 0.5;
    fold.val.precision = fold.val.recall = fold.val.f1 = {0.5, 0.5, 0.5};
    fold.confusion = ConfusionMatrix(3);
    for (int e = 0; e < epochs; ++e) {
      EpochRecord record;
      record.epoch = e;
      record.val = fold.val;
      fold.epochs.push_back(record);
    }
    auto cv = [](const std::vector<FoldRecord>& f) { return std::make_pair(0.5, 0.0 * f.size()); };

    std::vector<std::vector<double>> claim_ms(workers), record_ms(workers);
    std::vector<std::string> errors(workers);
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        try {
          PgStore store(url);
          const std::string owner = "bench-" + std::to_string(w);
          for (;;) {
            const auto t0 = Clock::now();
            auto claim = store.claim_unit(sweep, owner, LeasePolicy{60, 3});
            const auto t1 = Clock::now();
            if (!claim) break;
            FoldRecord mine = fold;
            mine.fold = claim->fold;
            if (!store.record_unit(*claim, owner, mine, cv)) errors[w] += "refused ";
            const auto t2 = Clock::now();
            claim_ms[w].push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
            record_ms[w].push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
          }
        } catch (const std::exception& e) {
          errors[w] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<double> claims, records;
    for (int w = 0; w < workers; ++w) {
      if (!errors[w].empty()) std::fprintf(stderr, "worker %d: %s\n", w, errors[w].c_str());
      claims.insert(claims.end(), claim_ms[w].begin(), claim_ms[w].end());
      records.insert(records.end(), record_ms[w].begin(), record_ms[w].end());
    }
    auto percentile = [](std::vector<double> v, double p) {
      if (v.empty()) return 0.0;
      std::sort(v.begin(), v.end());
      return v[static_cast<std::size_t>(p * (v.size() - 1))];
    };
    std::printf("| %d | %zu | %.1f | %.0f | %.2f | %.2f | %.2f | %.2f |\n", workers, claims.size(),
                seconds, claims.size() / seconds, percentile(claims, 0.5), percentile(claims, 0.99),
                percentile(records, 0.5), percentile(records, 0.99));
    return claims.size() == static_cast<std::size_t>(units / folds * folds) ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "claim_bench: %s\n", e.what());
    return 1;
  }
}
