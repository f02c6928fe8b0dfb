#pragma once
// One raw Muse recording: reading and checking the CSV, the sampling rate, gapless stretches,
// and resampling a time window onto a fixed number of points.

#include <cstddef>
#include <string>
#include <vector>

namespace eegsweep {

struct MuseRecording {
  std::string path;
  std::vector<std::string> channel_names;     // as selected, in that order
  std::vector<double> t;                      // seconds (Unix time), strictly increasing
  std::vector<std::vector<double>> channels;  // per selected channel, one value per timestamp
  std::size_t samples() const { return t.size(); }
};

// Reads `timestamps` and the named channel columns (other columns, e.g. Right AUX, are checked
// for shape only). Throws DataError naming the file and, where it applies, the line (1-based, the
// header is line 1) and column: missing file, empty file, no `timestamps` column, a channel not in
// the header, a row with the wrong number of cells, a blank or non-numeric or non-finite cell, a
// timestamp not strictly after the previous row's.
MuseRecording read_muse_csv(const std::string& path, const std::vector<std::string>& channels);
// The same, from the file's text (`path` only names it in messages).
MuseRecording parse_muse_csv(const std::string& text, const std::string& path,
                             const std::vector<std::string>& channels);

// Sampling rate from the timestamps: 1 / median over i of (t[i+k] − t[i]) / k. The median
// ignores gaps; the lag k (up to 128) beats the millisecond rounding of Muse timestamps, which
// makes every single step 3, 4 or 5 ms and the plain median step 4 ms (250 Hz instead of 256).
// Returns 0 for fewer than two samples.
double estimate_sampling_rate(const std::vector<double>& t);

// Half-open index ranges [begin, end) between gaps: a step longer than max_gap_seconds starts a
// new stretch (a recording paused and resumed must not be filtered or windowed across the pause).
struct Stretch {
  std::size_t begin = 0;
  std::size_t end = 0;
};
std::vector<Stretch> split_at_gaps(const std::vector<double>& t, double max_gap_seconds);

// Linear interpolation of (t[i], x[i]), i in [0, n), at the points start + j·step for
// j in [0, count), written to out. t strictly increasing; points outside [t[0], t[n−1]] take the
// nearest end value.
void resample_linear(const double* t, const double* x, std::size_t n, double start, double step,
                     std::size_t count, double* out);

}  // namespace eegsweep
