#include "engine/data/muse/recording_report.h"

#include <cstdio>

namespace eegsweep {

namespace {

std::string seconds_text(double seconds, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f s", decimals, seconds);
  return buffer;
}

}  // namespace

std::string describe_recordings(const std::vector<RecordingReport>& recordings,
                                const MuseOptions& options) {
  const double short_seconds = kShortRecordingWindows * options.window_seconds;
  std::vector<std::string> short_ones, gapped;
  for (const auto& r : recordings) {
    if (r.seconds < short_seconds) {
      short_ones.push_back(r.name + " " + seconds_text(r.seconds, 1) + " (" +
                           std::to_string(r.rows) + " rows)");
    }
    if (r.stretches > 1) {
      gapped.push_back(r.name + " " + seconds_text(r.seconds, 1) + " in " +
                       std::to_string(r.stretches) + " stretches, largest gap " +
                       seconds_text(r.largest_gap, 2) + ", " + seconds_text(r.unused_seconds, 2) +
                       " unused");
    }
  }
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : "; ") + item;
    return out;
  };
  std::string out;
  if (!short_ones.empty()) {
    out += std::to_string(short_ones.size()) + " recording(s) shorter than " +
           std::to_string(kShortRecordingWindows) + " windows (" + seconds_text(short_seconds, 1) +
           "): " + join(short_ones) + "\n";
  }
  if (!gapped.empty()) {
    out += std::to_string(gapped.size()) + " recording(s) with gaps over " +
           seconds_text(options.max_gap_seconds, 2) + ", each stretch filtered and windowed on its own: " +
           join(gapped) + "\n";
  }
  return out;
}

}  // namespace eegsweep
