#pragma once
// Writes files in the layout of Kaggle's "EEG Brainwave: Feeling Emotions" emotions.csv, which
// cannot be shipped with the project: header "# mean_0_a,…,label" (numpy.savetxt's "# " prefix),
// 2548 numeric columns formatted the way that file is ("4.62e+00", "-15.7", "2.06", "0"), and a
// last column POSITIVE / NEGATIVE / NEUTRAL. Header-only and free of GoogleTest, so any test
// suite and scripts/bench/csv_bench.cpp can include it.
//
// The expected values are what the C library's strtof makes of the written text, so tests that
// compare against them check the project's reader against an independent parser.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/data/random.h"

namespace eegsweep::fixtures {

struct EmotionsFixtureOptions {
  std::size_t rows = 60;
  std::size_t features = 2548;  // as emotions.csv
  std::uint64_t seed = 7;
  bool crlf = false;            // Windows line endings
  bool trailing_newline = true;
  bool bom = false;             // UTF-8 byte-order mark before the header
  bool quote_header = false;    // every header cell in double quotes
};

struct EmotionsFixture {
  std::vector<std::string> feature_names;  // as the reader should report them ("mean_0_a", …)
  std::vector<float> x;                    // rows × features, row-major, as strtof reads them
  std::vector<std::string> labels;         // per row
  std::size_t bytes = 0;                   // file size
};

inline const std::vector<std::string>& emotions_classes() {
  static const std::vector<std::string> names = {"NEGATIVE", "NEUTRAL", "POSITIVE"};
  return names;
}

// Kaggle-like column names: <statistic>_<index>_<a|b> (a: first window half, b: second).
inline std::string emotions_feature_name(std::size_t j, std::size_t features) {
  static const char* const stats[] = {"mean", "mean_d", "stddev", "stddev_d", "moments",
                                      "max",  "max_d",  "min",    "min_d",    "covmat",
                                      "eigen", "logm",  "entropy", "correlate", "fft"};
  const std::size_t n = sizeof stats / sizeof stats[0];
  const std::size_t half = (features + 1) / 2;
  const std::size_t block = (half + n - 1) / n;
  const std::size_t local = j < half ? j : j - half;
  return std::string(stats[(local / block) % n]) + "_" + std::to_string(local) +
         (j < half ? "_a" : "_b");
}

inline EmotionsFixture write_emotions_fixture(const std::string& path,
                                              const EmotionsFixtureOptions& options = {}) {
  EmotionsFixture fixture;
  const std::size_t rows = options.rows;
  const std::size_t features = options.features;
  const char* eol = options.crlf ? "\r\n" : "\n";
  std::string out;
  out.reserve(rows * features * 9 + features * 16);
  if (options.bom) out += "\xEF\xBB\xBF";
  for (std::size_t j = 0; j < features; ++j) {
    fixture.feature_names.push_back(emotions_feature_name(j, features));
    std::string cell = (j == 0 ? "# " : "") + fixture.feature_names.back();
    if (options.quote_header) cell = "\"" + cell + "\"";
    out += cell;
    out += ',';
  }
  out += options.quote_header ? "\"label\"" : "label";

  // Balanced labels in a seeded order, as the real table is close to balanced.
  std::vector<std::string> labels(rows);
  for (std::size_t r = 0; r < rows; ++r) labels[r] = emotions_classes()[(r + 1) % 3];
  CounterRng(derive_seed(options.seed, 11)).shuffle(labels);

  fixture.x.reserve(rows * features);
  char cell[48];
  for (std::size_t r = 0; r < rows; ++r) {
    out += eol;
    CounterRng rng(derive_seed(options.seed, 12, r));
    for (std::size_t j = 0; j < features; ++j) {
      // Magnitudes from 1e-3 to 1e3, and the three spellings the file uses.
      const double magnitude = std::pow(10.0, rng.uniform(-3.0, 3.0));
      const double v = rng.normal() * magnitude;
      switch (j % 5) {
        case 0:
        case 1: std::snprintf(cell, sizeof cell, "%.2e", v); break;
        case 2: std::snprintf(cell, sizeof cell, "%.3g", v); break;
        case 3: std::snprintf(cell, sizeof cell, "%.2f", v); break;
        default: std::snprintf(cell, sizeof cell, "%d", static_cast<int>(v)); break;
      }
      fixture.x.push_back(std::strtof(cell, nullptr));
      out += cell;
      out += ',';
    }
    out += labels[r];
  }
  if (options.trailing_newline) out += eol;
  fixture.labels = std::move(labels);
  fixture.bytes = out.size();

  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot create fixture " + path);
  const bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
  if (std::fclose(f) != 0 || !ok) throw std::runtime_error("cannot write fixture " + path);
  return fixture;
}

}  // namespace eegsweep::fixtures
