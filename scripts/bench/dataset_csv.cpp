// Writes the table a sweep file's `data:` loads (csv, synthetic or muse), row for row in the
// engine's order, as a feature CSV (features…, [group], label). The Optuna comparison
// (scripts/bench/optuna_bench.sh) trains PyTorch on exactly these rows, indexed by the
// split_rows a sweep stored, so both tools see the same numbers and the same folds.
// Usage: dataset_csv SWEEP.yaml OUT.csv [--set key=value]...

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "engine/data/csv_reader.h"
#include "engine/sched/sweep_plan.h"
#include "engine/spec/sweep_spec.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: dataset_csv SWEEP.yaml OUT.csv [--set key=value]...\n");
    return 64;
  }
  std::vector<std::string> overrides;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--set" && i + 1 < argc) {
      overrides.emplace_back(argv[++i]);
    } else {
      std::fprintf(stderr, "dataset_csv: unknown argument %s\n", arg.c_str());
      return 64;
    }
  }
  try {
    const eegsweep::SweepSpec spec = eegsweep::load_sweep_file(argv[1], overrides);
    const auto data = eegsweep::load_dataset(spec);
    eegsweep::write_feature_csv(*data, argv[2], /*force=*/false);
    std::printf("%s: %zu rows × %zu features, %zu classes\n", argv[2], data->rows, data->features,
                data->num_classes());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dataset_csv: %s\n", e.what());
    return 65;
  }
  return 0;
}
