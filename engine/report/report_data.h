#pragma once
// Everything the report page shows, read from the store through the same calls as `sweep
// results`, `show` and `export` (Store::trials, folds, leaderboard, final_runs), as one JSON
// document. Numbers that the page prints (scores, fold metrics, confusion counts) are the stored
// doubles and integers unchanged; only the per-epoch learning curves, which are only drawn, keep
// 4 significant digits, so that a 500-trial sweep stays a page of a few megabytes.

#include <string>

#include "results/store.h"

namespace eegsweep::report {

// The JSON text (see engine/report/assets/report.js for how each field is drawn).
std::string build_report_json(Store& store, const SweepInfo& sweep);

}  // namespace eegsweep::report
