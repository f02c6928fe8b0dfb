// Times read_feature_csv on a table of emotions.csv's size and layout (2132 rows × 2548
// features + label, ~42 MB, Kaggle's number spellings), generated in a temporary directory.
// Usage: csv_bench [rows] [features] [repeats]   (defaults 2132 2548 3; reports the best run)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "engine/data/csv_reader.h"
#include "tests/support/emotions_fixture.h"

int main(int argc, char** argv) {
  using clock = std::chrono::steady_clock;
  eegsweep::fixtures::EmotionsFixtureOptions options;
  options.rows = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2132;
  options.features = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2548;
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 3;

  std::string dir = (std::filesystem::temp_directory_path() / "csv_bench-XXXXXX").string();
  if (!mkdtemp(dir.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string path = dir + "/emotions.csv";
  int status = 0;
  try {
    const auto fixture = eegsweep::fixtures::write_emotions_fixture(path, options);
    double best = 1e300;
    eegsweep::Dataset data;
    for (int i = 0; i < repeats; ++i) {
      const auto start = clock::now();
      data = eegsweep::read_feature_csv(path);
      best = std::min(best, std::chrono::duration<double>(clock::now() - start).count());
    }
    const double mb = static_cast<double>(fixture.bytes) / 1e6;
    std::printf("rows %zu  cols %zu  %.1f MB  best of %d: %.3f s  %.0f MB/s\n", data.rows,
                data.features + 1, mb, repeats, best, mb / best);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "csv_bench: %s\n", e.what());
    status = 1;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return status;
}
