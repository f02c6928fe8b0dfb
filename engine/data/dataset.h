#pragma once
// The in-memory feature table every part of the engine works on: one row per example,
// features row-major as float, one class index per row, optional group ids for grouped CV.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace eegsweep {

// Bad input data (files, tables, recordings). The message names the file and the
// row/column at fault; the CLI prints it and exits non-zero.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Dataset {
  std::string source;                      // file path, directory, or "synthetic(...)"
  std::size_t rows = 0;
  std::size_t features = 0;
  std::vector<float> x;                    // rows × features, row-major
  std::vector<int> y;                      // class index per row, in [0, class_names.size())
  std::vector<std::string> class_names;    // deterministic order (sorted, or as configured)
  std::vector<std::string> feature_names;  // size == features
  std::string group_column;                // empty when there are no groups
  std::vector<int> group;                  // group index per row (empty when no groups)
  std::vector<std::string> group_names;    // group index → its original value
  // The last this many rows came from separate test data (test: {path}): they are the test set.
  std::size_t separate_test_rows = 0;

  std::size_t num_classes() const { return class_names.size(); }
  bool has_groups() const { return !group.empty(); }
  const float* row(std::size_t r) const { return x.data() + r * features; }
};

// Row indices into a Dataset. 32-bit keeps index lists small and uploadable as-is to a GPU.
using RowIndex = std::uint32_t;
using RowList = std::vector<RowIndex>;

// Stable content hash of a dataset (features, labels, class names), for the results store.
std::string dataset_hash(const Dataset& data);

}  // namespace eegsweep
