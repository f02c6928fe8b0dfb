#pragma once
// Every purpose that draws random numbers has its own stream id, listed here once, so that no two
// purposes ever share numbers for the same seed (derive_seed(seed, stream, …)). The values are
// part of every stored result: changing one changes what a seed means.

#include <cstdint>

namespace eegsweep::streams {

// Sweep level (engine/sched): the held-out split, the folds, one trial's final run.
constexpr std::uint64_t split = 0x5B117;
constexpr std::uint64_t fold = 0xF01D;
constexpr std::uint64_t final_run = 0xF17A1;
constexpr std::uint64_t inner = 0x1AAE2;
constexpr std::uint64_t bootstrap = 0xB0075;  // test-score intervals (shown by `best`)  // inner validation splits (cv.epoch_selection: inner)
// Search (engine/spec): random-search draws.
constexpr std::uint64_t random_search = 0x5EA4C4;
// Search (engine/search): TPE candidates, and redraws of a suggestion that repeated a trial.
constexpr std::uint64_t tpe = 0x7BE5;
// Splitting rows (engine/data/splits): held-out rows, k-fold, group order.
constexpr std::uint64_t holdout = 0x484F4C444F5554ULL;  // "HOLDOUT"
constexpr std::uint64_t kfold = 0x4B464F4C44ULL;        // "KFOLD"
constexpr std::uint64_t group = 0x47524F5550ULL;        // "GROUP"
// Training (engine/model): initial weights, epoch shuffles, dropout masks.
constexpr std::uint64_t init = 0x1417;
constexpr std::uint64_t shuffle = 0x5A0F;
constexpr std::uint64_t dropout = 0xD20F;
// Synthetic data (engine/data/synthetic): one stream per row, and the row order.
constexpr std::uint64_t synthetic_row = 1;
constexpr std::uint64_t synthetic_order = 2;

}  // namespace eegsweep::streams
