// Times the Muse featurizer on a directory of raw recordings (default: the 18 recordings of
// ../shared/data/muse-mental-state) and prints recordings, rows, features and seconds.
// Usage: featurize_bench [DIR] [-o FEATURES.csv] [--repeat N]
// With -o it also writes the table as `sweep featurize DIR -o FILE` does.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "engine/data/csv_reader.h"
#include "engine/data/muse/muse.h"

int main(int argc, char** argv) {
  std::string directory = "../shared/data/muse-mental-state";
  std::string output;
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-o" && i + 1 < argc) {
      output = argv[++i];
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else {
      directory = arg;
    }
  }
  try {
    eegsweep::MuseTable table;
    double best = 1e30;
    for (int r = 0; r < repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      table = eegsweep::featurize_muse_directory(directory, eegsweep::MuseOptions{});
      const double s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      best = std::min(best, s);
    }
    const eegsweep::Dataset& d = table.data;
    std::size_t non_finite = 0;
    for (float v : d.x) non_finite += !std::isfinite(v);
    std::printf("recordings %zu  rows %zu  features %zu  classes %zu  non-finite %zu  "
                "seconds %.3f (best of %d)\n",
                d.group_names.size(), d.rows, d.features, d.num_classes(), non_finite, best,
                repeat);
    if (!output.empty()) {
      const auto start = std::chrono::steady_clock::now();
      eegsweep::write_feature_csv(d, output);
      std::printf("wrote %s in %.3f s\n", output.c_str(),
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "featurize_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
