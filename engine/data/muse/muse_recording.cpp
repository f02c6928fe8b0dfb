#include "engine/data/muse/muse_recording.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>

#include "engine/data/dataset.h"
#include "engine/data/input_file.h"

namespace eegsweep {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string where(const std::string& path, std::size_t line) {
  return path + ": line " + std::to_string(line) + " (data row " + std::to_string(line - 1) + ")";
}

// Splits on commas into `cells` (views into `line`), trimmed.
void split_cells(std::string_view line, std::vector<std::string_view>& cells) {
  cells.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    if (comma == std::string_view::npos) {
      cells.push_back(trim(line.substr(start)));
      return;
    }
    cells.push_back(trim(line.substr(start, comma - start)));
    start = comma + 1;
  }
}

}  // namespace

MuseRecording read_muse_csv(const std::string& path, const std::vector<std::string>& channels) {
  return parse_muse_csv(read_regular_file(path, "recording"), path, channels);
}

MuseRecording parse_muse_csv(const std::string& text, const std::string& path,
                             const std::vector<std::string>& channels) {
  std::string_view rest(text);
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);  // UTF-8 byte order mark
  if (trim(rest).empty()) throw DataError(path + ": empty file (expected a header line)");

  auto next_line = [&rest]() {
    const std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  };

  std::vector<std::string_view> cells;
  split_cells(next_line(), cells);
  const std::vector<std::string> header(cells.begin(), cells.end());
  std::string header_list;
  for (const std::string& h : header) header_list += (header_list.empty() ? "" : ",") + h;

  std::size_t time_col = header.size();
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (iequals(header[c], "timestamps")) time_col = c;
  }
  if (time_col == header.size()) {
    throw DataError(path + ": line 1: no 'timestamps' column in the header (" + header_list + ")");
  }
  std::vector<std::size_t> channel_cols;
  for (const std::string& name : channels) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      throw DataError(path + ": line 1: channel '" + name + "' is not in the header (" +
                      header_list + ")");
    }
    channel_cols.push_back(static_cast<std::size_t>(it - header.begin()));
  }

  MuseRecording rec;
  rec.path = path;
  rec.channel_names = channels;
  rec.channels.resize(channels.size());
  const std::size_t expected_lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  rec.t.reserve(expected_lines);
  for (auto& ch : rec.channels) ch.reserve(expected_lines);

  auto parse = [&](std::string_view cell, std::size_t line, std::size_t col) {
    if (cell.empty()) {
      throw DataError(where(path, line) + ", column " + std::to_string(col + 1) + " (" +
                      header[col] + "): blank cell");
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value)) {
      throw DataError(where(path, line) + ", column " + std::to_string(col + 1) + " (" +
                      header[col] + "): '" + std::string(cell) + "' is not a finite number");
    }
    return value;
  };

  std::size_t line_no = 1;
  std::size_t blank_line = 0;  // first blank line seen; an error only if data follows it
  while (!rest.empty()) {
    const std::string_view line = next_line();
    ++line_no;
    if (trim(line).empty()) {
      if (blank_line == 0) blank_line = line_no;
      continue;
    }
    if (blank_line != 0) throw DataError(where(path, blank_line) + ": empty line inside the data");
    split_cells(line, cells);
    if (cells.size() != header.size()) {
      throw DataError(where(path, line_no) + ": expected " + std::to_string(header.size()) +
                      " columns as in the header (" + header_list + "), found " +
                      std::to_string(cells.size()));
    }
    const double t = parse(cells[time_col], line_no, time_col);
    if (!rec.t.empty() && !(t > rec.t.back())) {
      std::ostringstream msg;
      msg.precision(15);
      msg << where(path, line_no) << ": timestamp " << t << " is not after the previous row's "
          << rec.t.back() << " (timestamps must strictly increase)";
      throw DataError(msg.str());
    }
    rec.t.push_back(t);
    for (std::size_t k = 0; k < channel_cols.size(); ++k) {
      rec.channels[k].push_back(parse(cells[channel_cols[k]], line_no, channel_cols[k]));
    }
  }
  if (rec.t.empty()) throw DataError(path + ": no data rows after the header");
  return rec;
}

double estimate_sampling_rate(const std::vector<double>& t) {
  const std::size_t n = t.size();
  if (n < 2) return 0.0;
  const std::size_t lag = std::min<std::size_t>(128, n - 1);
  std::vector<double> steps;
  steps.reserve(n - lag);
  for (std::size_t i = 0; i + lag < n; ++i) steps.push_back((t[i + lag] - t[i]) / static_cast<double>(lag));
  const auto mid = steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2);
  std::nth_element(steps.begin(), mid, steps.end());
  return *mid > 0 ? 1.0 / *mid : 0.0;
}

std::vector<Stretch> split_at_gaps(const std::vector<double>& t, double max_gap_seconds) {
  std::vector<Stretch> out;
  if (t.empty()) return out;
  Stretch current{0, 1};
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (t[i] - t[i - 1] > max_gap_seconds) {
      out.push_back(current);
      current.begin = i;
    }
    current.end = i + 1;
  }
  out.push_back(current);
  return out;
}

void resample_linear(const double* t, const double* x, std::size_t n, double start, double step,
                     std::size_t count, double* out) {
  std::size_t i = 0;  // t[i] <= point < t[i+1] once inside; points increase, so i only advances
  for (std::size_t j = 0; j < count; ++j) {
    const double p = start + static_cast<double>(j) * step;
    if (n == 1 || p <= t[0]) {
      out[j] = x[0];
      continue;
    }
    if (p >= t[n - 1]) {
      out[j] = x[n - 1];
      continue;
    }
    while (i + 1 < n && t[i + 1] <= p) ++i;
    const double w = (p - t[i]) / (t[i + 1] - t[i]);
    out[j] = x[i] + w * (x[i + 1] - x[i]);
  }
}

}  // namespace eegsweep
