#pragma once
// Small Muse-format recordings written to a temporary directory, for the reader and featurizer
// tests (the real recordings stay in ../shared/data).

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace eegsweep::testing {

// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    path_ = std::filesystem::temp_directory_path() /
            ("eegsweep_muse_" + tag + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string str() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }

 private:
  std::filesystem::path path_;
};

// A Muse CSV: 256 Hz, timestamps rounded to the millisecond as the headband's are, each EEG
// channel a sine (frequency given per channel) around 800 µV; Right AUX noise-free. A pause of
// `gap_seconds` can be inserted after `gap_after_seconds`.
inline std::string muse_csv(double seconds, std::vector<double> hz = {6, 10, 14, 22},
                            double gap_after_seconds = -1, double gap_seconds = 0) {
  const double fs = 256.0, t0 = 1533059192.499;
  std::string out = "timestamps,TP9,AF7,AF8,TP10,Right AUX\n";
  const auto n = static_cast<long>(seconds * fs);
  char line[160];
  for (long i = 0; i < n; ++i) {
    double t = static_cast<double>(i) / fs;
    if (gap_after_seconds >= 0 && t >= gap_after_seconds) t += gap_seconds;
    double v[4];
    for (int c = 0; c < 4; ++c) v[c] = 800.0 + 20.0 * std::sin(2 * 3.14159265358979 * hz[c] * t);
    std::snprintf(line, sizeof line, "%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n",
                  std::round((t0 + t) * 1000.0) / 1000.0, v[0], v[1], v[2], v[3], 1.0);
    out += line;
  }
  return out;
}

}  // namespace eegsweep::testing
