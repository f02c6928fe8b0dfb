#pragma once
// Reads a numeric feature table from CSV (e.g. Kaggle's emotions.csv as shipped).

#include <string>
#include <vector>

#include "engine/data/dataset.h"

namespace eegsweep {

struct CsvOptions {
  std::string label_column = "label";  // labels may be class names or integers
  std::string group_column;            // optional: kept as Dataset::group for grouped CV
  std::vector<std::string> classes;    // optional explicit class order; else sorted names
                                       // (integers sorted numerically)
  int min_rows_per_class = 0;          // e.g. the number of CV folds; 0 = no check
  // For applying a trained model (`sweep predict`, with `classes` set): the label column may be
  // missing (Dataset::y is then empty) and the rows may hold a single class.
  bool labels_optional = false;
};

// Throws DataError naming the file and the row/column for: missing or empty file, header only,
// ragged rows, non-numeric or NaN/Inf cells, missing label column, fewer than 2 classes, a label
// not in `classes`, a class with fewer than min_rows_per_class rows.
// A leading "# " on the first header cell is stripped (Kaggle's "# mean_0_a").
Dataset read_feature_csv(const std::string& path, const CsvOptions& options = {});
// The same, from the file's text (`path` only names it in messages).
Dataset parse_feature_csv(const std::string& text, const std::string& path, const CsvOptions& options = {});

// Columns named `subject`, `recording` or `session` (the featurizer's identifiers) are never
// features: they are read as the group column when named so, and otherwise skipped.
bool is_identifier_column(const std::string& name);

// A text column written beside the features (e.g. the featurizer's `subject`).
struct TextColumn {
  std::string name;
  std::vector<std::string> values;  // one per row
};

// Writes a Dataset in the same layout (features…, [group], [text columns…], label); used by the featurizer and
// by tests to make emotions.csv-shaped fixtures. Written atomically (AtomicOutputFile): an
// existing SQLite database is refused (OutputRefused) unless `force`; a failed write throws
// OutputFileError and leaves no partial file.
void write_feature_csv(const Dataset& data, const std::string& path, bool force = false,
                       const std::vector<TextColumn>& text_columns = {});

}  // namespace eegsweep
