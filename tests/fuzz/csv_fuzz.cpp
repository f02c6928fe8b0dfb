// libFuzzer harness: the CSV feature-table reader. Any input must end in a Dataset whose shape is
// consistent, or a DataError.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/data/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  eegsweep::CsvOptions options;
  options.group_column = size % 2 ? "group" : "";  // both paths, chosen by the input itself
  options.min_rows_per_class = 2;
  try {
    const eegsweep::Dataset d = eegsweep::parse_feature_csv(text, "fuzz.csv", options);
    if (d.x.size() != d.rows * d.features || d.y.size() != d.rows) std::abort();
  } catch (const eegsweep::DataError&) {
  }
  return 0;
}
