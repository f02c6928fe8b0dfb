// CSV feature tables. The whole file is read in one go and walked with raw pointers; numeric
// cells go straight through std::from_chars, because a Kaggle-sized table (2132 × 2549 cells,
// ~42 MB) must load in well under a second and iostreams per cell are ~10× too slow.
//
// Row numbers in messages are 1-based physical line numbers of the file ("line 17"), the header
// being line 1, so that a user can jump straight to them in an editor. Columns are named by their
// header cell and their 1-based position.

#include "engine/data/csv_reader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "engine/data/input_file.h"
#include "engine/data/output_file.h"

namespace eegsweep {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_terminator(const char* p, const char* end) {
  return p == end || *p == ',' || *p == '\n' || *p == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Cell text for error messages: short and printable.
std::string shown(std::string_view s) {
  constexpr std::size_t limit = 40;
  std::string out(s.substr(0, limit));
  if (s.size() > limit) out += "...";
  return out;
}

// Walks records and fields. Quoted fields ("a,b", "say ""hi""") may span lines; the line
// counter follows them so that messages stay exact.
class CsvCursor {
 public:
  CsvCursor(const std::string& path, const char* begin, const char* end, std::size_t line = 1)
      : path_(path), p_(begin), end_(end), line_(line) {}

  const char* pos() const { return p_; }
  const char* end() const { return end_; }
  void set_pos(const char* p) { p_ = p; }
  std::size_t line() const { return line_; }
  bool at_end() const { return p_ == end_; }

  // Skips empty lines between records; returns false at end of input.
  bool skip_blank_lines() {
    while (p_ != end_) {
      if (*p_ == '\n') {
        ++p_;
        ++line_;
      } else if (*p_ == '\r') {
        ++p_;
        if (p_ != end_ && *p_ == '\n') ++p_;
        ++line_;
      } else {
        return true;
      }
    }
    return false;
  }

  // Reads one field (general path: quoted or not) into `out`, leaving the cursor on its
  // terminator. Unquoted text is trimmed of surrounding blanks.
  void read_field(std::string& out) {
    out.clear();
    const char* q = p_;
    while (q != end_ && is_blank(*q)) ++q;
    if (q != end_ && *q == '"') {
      const std::size_t start_line = line_;
      ++q;
      for (;;) {
        if (q == end_) {
          throw DataError(path_ + ": line " + std::to_string(start_line) +
                          ": quoted field is never closed");
        }
        if (*q == '"') {
          if (q + 1 != end_ && q[1] == '"') {
            out += '"';
            q += 2;
            continue;
          }
          ++q;
          break;
        }
        if (*q == '\n' || (*q == '\r' && (q + 1 == end_ || q[1] != '\n'))) ++line_;
        out += *q++;
      }
      while (q != end_ && is_blank(*q)) ++q;
      if (!is_terminator(q, end_)) {
        throw DataError(path_ + ": line " + std::to_string(line_) +
                        ": unexpected text after a closing quote");
      }
      p_ = q;
      return;
    }
    const char* start = p_;
    while (!is_terminator(p_, end_)) ++p_;
    out.assign(trim(std::string_view(start, static_cast<std::size_t>(p_ - start))));
  }

  // At a terminator: consumes a ',' and returns true (another field follows), or consumes a
  // line end and returns false (record finished).
  bool next_field() {
    if (p_ == end_) return false;
    if (*p_ == ',') {
      ++p_;
      return true;
    }
    if (*p_ == '\r') {
      ++p_;
      if (p_ != end_ && *p_ == '\n') ++p_;
    } else {
      ++p_;  // '\n'
    }
    ++line_;
    return false;
  }

  // Skips the rest of the current record, counting its remaining fields.
  std::size_t skip_rest_of_record() {
    std::string scratch;
    std::size_t count = 0;
    do {
      read_field(scratch);
      ++count;
    } while (next_field());
    return count;
  }

 private:
  const std::string& path_;
  const char* p_;
  const char* end_;
  std::size_t line_;
};

enum class ColumnKind { feature, label, group, identifier };

bool parse_integer(const std::string& s, long long& value) {
  const char* b = s.data();
  const char* e = b + s.size();
  if (b != e && *b == '+') ++b;
  auto [ptr, ec] = std::from_chars(b, e, value);
  return ec == std::errc() && ptr == e && b != e;
}

// Parses a whole cell as a float. Values beyond the float range are an error of their own (a
// user reading "not a finite number" for 1e308 would look for an inf); values below it become
// subnormals or zero, as strtof would give.
enum class NumberStatus { ok, not_a_number, not_finite, out_of_float_range };

NumberStatus parse_float_text(std::string_view text, float& value) {
  text = trim(text);
  const char* b = text.data();
  const char* e = b + text.size();
  if (b != e && *b == '+') {
    ++b;
    if (b != e && (*b == '-' || *b == '+')) return NumberStatus::not_a_number;
  }
  if (b == e) return NumberStatus::not_a_number;
  auto [ptr, ec] = std::from_chars(b, e, value);
  if (ec == std::errc::result_out_of_range && ptr == e) {
    // A well-formed decimal too large or too small for a float: strtod tells which (it returns
    // ±HUGE_VAL beyond even the double range, and 0 or a tiny value below it).
    const double wide = std::strtod(std::string(b, e).c_str(), nullptr);
    if (std::fabs(wide) > static_cast<double>(std::numeric_limits<float>::max())) {
      return NumberStatus::out_of_float_range;
    }
    value = static_cast<float>(wide);
    return NumberStatus::ok;
  }
  if (ec != std::errc() || ptr != e) return NumberStatus::not_a_number;
  return std::isfinite(value) ? NumberStatus::ok : NumberStatus::not_finite;
}

std::string number_problem(const std::string& cell, NumberStatus status) {
  if (cell.empty()) return "empty cell";
  const std::string quoted = "'" + shown(cell) + "'";
  switch (status) {
    case NumberStatus::not_finite: return quoted + " is not a finite number";
    case NumberStatus::out_of_float_range:
      return quoted + " overflows float32 (features are 32-bit floats; the largest magnitude is "
                      "about 3.4e38)";
    default: return quoted + " is not a number";
  }
}

std::string column_label(const std::vector<std::string>& names, std::size_t j) {
  return "column '" + names[j] + "' (column " + std::to_string(j + 1) + ")";
}

std::string some_columns(const std::vector<std::string>& names) {
  std::string out;
  const std::size_t n = names.size();
  auto add = [&](std::size_t j) {
    if (!out.empty()) out += ", ";
    out += "'" + names[j] + "'";
  };
  if (n <= 8) {
    for (std::size_t j = 0; j < n; ++j) add(j);
  } else {
    for (std::size_t j = 0; j < 4; ++j) add(j);
    out += ", ...";
    for (std::size_t j = n - 3; j < n; ++j) add(j);
  }
  return std::to_string(n) + " columns: " + out;
}

std::vector<std::string> read_header(CsvCursor& cursor, const std::string& path) {
  std::vector<std::string> names;
  std::string cell;
  do {
    cursor.read_field(cell);
    names.push_back(cell);
  } while (cursor.next_field());
  // Kaggle's tables were written by numpy.savetxt, which prefixes the header with "# ".
  std::string& first = names.front();
  if (!first.empty() && first[0] == '#') {
    std::size_t k = 1;
    while (k < first.size() && is_blank(first[k])) ++k;
    first.erase(0, k);
  }
  std::unordered_map<std::string, std::size_t> seen;
  for (std::size_t j = 0; j < names.size(); ++j) {
    auto [it, inserted] = seen.emplace(names[j], j);
    if (!inserted) {
      throw DataError(path + ": header: duplicate column name '" + names[j] + "' (columns " +
                      std::to_string(it->second + 1) + " and " + std::to_string(j + 1) + ")");
    }
  }
  return names;
}

// Class order: the configured list, else sorted names — numerically when every label is an
// integer, so that "10" comes after "9".
std::vector<std::string> order_classes(const std::vector<std::string>& labels) {
  std::vector<std::string> sorted = labels;
  std::vector<long long> values(labels.size());
  bool all_integers = true;
  for (std::size_t i = 0; i < labels.size() && all_integers; ++i) {
    all_integers = parse_integer(labels[i], values[i]);
  }
  if (all_integers) {
    std::vector<std::size_t> order(labels.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return values[a] != values[b] ? values[a] < values[b] : labels[a] < labels[b];
    });
    for (std::size_t i = 0; i < order.size(); ++i) sorted[i] = labels[order[i]];
  } else {
    std::sort(sorted.begin(), sorted.end());
  }
  return sorted;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Dataset read_feature_csv(const std::string& path, const CsvOptions& options) {
  return parse_feature_csv(read_regular_file(path, "CSV table"), path, options);
}

bool is_identifier_column(const std::string& name) {
  return name == "subject" || name == "recording" || name == "session";
}

Dataset parse_feature_csv(const std::string& text, const std::string& path, const CsvOptions& options) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    begin += 3;  // UTF-8 byte-order mark, as Excel writes it
  }

  CsvCursor cursor(path, begin, end);
  if (!cursor.skip_blank_lines()) throw DataError(path + ": file is empty");
  const std::vector<std::string> names = read_header(cursor, path);
  const std::size_t columns = names.size();

  auto find_column = [&](const std::string& name) -> std::size_t {
    for (std::size_t j = 0; j < columns; ++j) {
      if (names[j] == name) return j;
    }
    return columns;
  };
  const std::size_t label_col = find_column(options.label_column);
  if (label_col == columns && !options.labels_optional) {
    throw DataError(path + ": no label column '" + options.label_column + "' in the header (" +
                    some_columns(names) + ")");
  }
  std::size_t group_col = columns;
  if (!options.group_column.empty()) {
    group_col = find_column(options.group_column);
    if (group_col == columns) {
      throw DataError(path + ": no group column '" + options.group_column + "' in the header (" +
                      some_columns(names) + ")");
    }
    if (group_col == label_col && label_col != columns) {
      throw DataError(path + ": the group column and the label column are both '" +
                      options.group_column + "'");
    }
  }

  Dataset data;
  data.source = path;
  std::vector<ColumnKind> kinds(columns, ColumnKind::feature);
  if (label_col != columns) kinds[label_col] = ColumnKind::label;
  if (group_col != columns) kinds[group_col] = ColumnKind::group;
  for (std::size_t j = 0; j < columns; ++j) {
    if (kinds[j] == ColumnKind::feature && is_identifier_column(names[j])) kinds[j] = ColumnKind::identifier;
  }
  for (std::size_t j = 0; j < columns; ++j) {
    if (kinds[j] == ColumnKind::feature) data.feature_names.push_back(names[j]);
  }
  data.features = data.feature_names.size();
  if (data.features == 0) {
    throw DataError(path + ": no feature columns besides '" + options.label_column + "'");
  }

  const std::size_t expected_rows =
      static_cast<std::size_t>(std::count(cursor.pos(), static_cast<const char*>(end), '\n')) + 1;
  data.x.reserve(expected_rows * data.features);

  std::vector<int> raw_label;  // per row: index into label_values
  std::vector<std::string> label_values;
  std::unordered_map<std::string, int> label_index;
  std::unordered_map<std::string, int> group_index;
  std::vector<std::size_t> row_line;
  raw_label.reserve(expected_rows);
  row_line.reserve(expected_rows);

  std::string cell;
  while (cursor.skip_blank_lines()) {
    const std::size_t line = cursor.line();
    const char* row_start = cursor.pos();
    row_line.push_back(line);
    // A bad cell in a row with the wrong number of fields is reported as the ragged row it is:
    // a missing cell shifts every later one, and "'NEGATIVE' is not a number" would mislead.
    auto fail_cell = [&](const std::string& message) {
      CsvCursor recount(path, row_start, end, line);
      const std::size_t fields = recount.skip_rest_of_record();
      if (fields != columns) {
        throw DataError(path + ": line " + std::to_string(line) + " has " +
                        std::to_string(fields) + " fields, header has " + std::to_string(columns));
      }
      throw DataError(message);
    };
    for (std::size_t j = 0; j < columns; ++j) {
      if (kinds[j] == ColumnKind::feature) {
        // Fast path: an unquoted number followed directly (or after blanks) by its terminator.
        const char* q = cursor.pos();
        while (q != end && is_blank(*q)) ++q;
        if (q != end && *q == '+' && q + 1 != end && q[1] != '-' && q[1] != '+') ++q;
        float v;
        auto [ptr, ec] = std::from_chars(q, end, v);
        if (ec == std::errc()) {
          while (ptr != end && is_blank(*ptr)) ++ptr;
        }
        if (ec == std::errc() && is_terminator(ptr, end) && std::isfinite(v)) {
          data.x.push_back(v);
          cursor.set_pos(ptr);
        } else {
          // Slow path: quoted numbers, out-of-float-range values, and every error.
          cursor.read_field(cell);
          const NumberStatus status = parse_float_text(cell, v);
          if (status != NumberStatus::ok) {
            fail_cell(path + ": line " + std::to_string(line) + ", " + column_label(names, j) +
                      ": " + number_problem(cell, status));
          }
          data.x.push_back(v);
        }
      } else if (kinds[j] == ColumnKind::identifier) {
        cursor.read_field(cell);  // who and which recording: kept out of the features
      } else {
        cursor.read_field(cell);
        if (cell.empty()) {
          fail_cell(path + ": line " + std::to_string(line) + ", " + column_label(names, j) +
                    ": empty " + (kinds[j] == ColumnKind::label ? "label" : "group value"));
        }
        if (kinds[j] == ColumnKind::label) {
          auto [it, inserted] = label_index.emplace(cell, static_cast<int>(label_values.size()));
          if (inserted) label_values.push_back(cell);
          raw_label.push_back(it->second);
        } else {
          auto [it, inserted] = group_index.emplace(cell, static_cast<int>(data.group_names.size()));
          if (inserted) data.group_names.push_back(cell);
          data.group.push_back(it->second);
        }
      }
      const bool more = cursor.next_field();
      const bool last = j + 1 == columns;
      if (more == last) {
        const std::size_t fields = more ? columns + cursor.skip_rest_of_record() : j + 1;
        throw DataError(path + ": line " + std::to_string(line) + " has " +
                        std::to_string(fields) + " fields, header has " + std::to_string(columns));
      }
    }
  }

  data.rows = row_line.size();
  if (data.rows == 0) throw DataError(path + ": has a header but no data rows");
  if (label_col == columns) {  // labels_optional, and there are none
    data.class_names = options.classes;
    if (group_col != columns) data.group_column = names[group_col];
    return data;
  }
  if (label_values.size() < 2 && !(options.labels_optional && !options.classes.empty())) {
    throw DataError(path + ": needs at least 2 classes in column '" + options.label_column +
                    "', found 1 ('" + label_values.front() + "')");
  }

  // Map first-appearance label ids to the final class order.
  std::vector<int> remap(label_values.size(), -1);
  if (options.classes.empty()) {
    data.class_names = order_classes(label_values);
  } else {
    data.class_names = options.classes;
    std::unordered_map<std::string, int> seen;
    for (std::size_t c = 0; c < options.classes.size(); ++c) {
      if (!seen.emplace(options.classes[c], static_cast<int>(c)).second) {
        throw DataError(path + ": class '" + options.classes[c] +
                        "' is listed twice in the configured classes");
      }
    }
  }
  for (std::size_t c = 0; c < data.class_names.size(); ++c) {
    auto it = label_index.find(data.class_names[c]);
    if (it != label_index.end()) remap[static_cast<std::size_t>(it->second)] = static_cast<int>(c);
  }
  data.y.resize(data.rows);
  for (std::size_t r = 0; r < data.rows; ++r) {
    const int mapped = remap[static_cast<std::size_t>(raw_label[r])];
    if (mapped < 0) {
      throw DataError(path + ": line " + std::to_string(row_line[r]) + ", " +
                      column_label(names, label_col) + ": label '" +
                      label_values[static_cast<std::size_t>(raw_label[r])] +
                      "' is not one of the configured classes (" + join_names(data.class_names) +
                      ")");
    }
    data.y[r] = mapped;
  }

  if (options.min_rows_per_class > 0) {
    std::vector<std::size_t> counts(data.class_names.size(), 0);
    for (int label : data.y) ++counts[static_cast<std::size_t>(label)];
    for (std::size_t c = 0; c < counts.size(); ++c) {
      if (counts[c] < static_cast<std::size_t>(options.min_rows_per_class)) {
        throw DataError(path + ": class '" + data.class_names[c] + "' has " +
                        std::to_string(counts[c]) + " rows; needs at least " +
                        std::to_string(options.min_rows_per_class) +
                        " (one per cross-validation fold)");
      }
    }
  }
  if (group_col != columns) data.group_column = names[group_col];
  return data;
}

namespace {

void append_cell(std::string& out, const std::string& text) {
  const bool needs_quotes =
      text.find_first_of(",\"\r\n") != std::string::npos ||
      (!text.empty() && (is_blank(text.front()) || is_blank(text.back())));
  if (!needs_quotes) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

void write_feature_csv(const Dataset& data, const std::string& path, bool force,
                       const std::vector<TextColumn>& text_columns) {
  for (const auto& column : text_columns) {
    if (column.values.size() != data.rows) {
      throw DataError(path + ": cannot write column '" + column.name + "': " +
                      std::to_string(column.values.size()) + " values for " +
                      std::to_string(data.rows) + " rows");
    }
  }
  if (data.x.size() != data.rows * data.features || data.y.size() != data.rows) {
    throw DataError(path + ": cannot write an inconsistent dataset (" + std::to_string(data.rows) +
                    " rows × " + std::to_string(data.features) + " features, " +
                    std::to_string(data.x.size()) + " values, " + std::to_string(data.y.size()) +
                    " labels)");
  }
  const bool groups = data.has_groups();
  std::string out;
  out.reserve(data.x.size() * 13 + data.rows * 16 + data.features * 12);
  for (std::size_t f = 0; f < data.features; ++f) {
    if (f > 0) out += ',';
    append_cell(out, f < data.feature_names.size() ? data.feature_names[f]
                                                   : "f" + std::to_string(f));
  }
  if (groups) {
    out += ',';
    append_cell(out, data.group_column.empty() ? std::string("group") : data.group_column);
  }
  for (const auto& column : text_columns) {
    out += ',';
    append_cell(out, column.name);
  }
  out += ",label\n";
  char number[32];
  for (std::size_t r = 0; r < data.rows; ++r) {
    const float* row = data.row(r);
    for (std::size_t f = 0; f < data.features; ++f) {
      // Shortest representation that reads back to the identical float.
      auto [ptr, ec] = std::to_chars(number, number + sizeof number, row[f]);
      (void)ec;
      out.append(number, ptr);
      out += ',';
    }
    if (groups) {
      append_cell(out, data.group_names.at(static_cast<std::size_t>(data.group.at(r))));
      out += ',';
    }
    for (const auto& column : text_columns) {
      append_cell(out, column.values[r]);
      out += ',';
    }
    append_cell(out, data.class_names.at(static_cast<std::size_t>(data.y[r])));
    out += '\n';
  }
  write_file_atomically(path, out, force);
}

}  // namespace eegsweep
