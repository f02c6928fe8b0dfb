#pragma once
// Raw Muse recordings (CSV: timestamps,TP9,AF7,AF8,TP10,Right AUX) → the windowed feature table
// of Bird et al.'s published generator (the method that built Kaggle's EEG tables).

#include <string>
#include <vector>

#include "engine/data/dataset.h"

namespace eegsweep {

struct MuseOptions {
  std::vector<std::string> channels = {"TP9", "AF7", "AF8", "TP10"};
  // File name → subject, class and session. Placeholders {subject}, {class}, {session}; the
  // rest is literal. The class word becomes the label.
  std::string filename_pattern = "{subject}-{class}-{session}.csv";
  std::vector<std::string> classes;  // optional: allowed class words, in this order
  bool filter = true;                // zero-phase band-pass + notch, per recording
  double bandpass_low_hz = 1.0;
  double bandpass_high_hz = 45.0;
  int bandpass_order = 4;            // Butterworth order (applied forward and backward)
  double notch_hz = 50.0;            // 0 = no notch
  double window_seconds = 1.0;
  double hop_seconds = 0.5;
  int resample_samples = 150;        // each window resampled to this many samples per channel
  double max_gap_seconds = 0.1;      // a longer step between timestamps splits the recording:
                                     // no filter or window spans the pause
};

// What featurizing saw of one recording, so that a short or interrupted recording is reported
// rather than silently cut into fewer rows (recording_report.h says it in words).
struct RecordingReport {
  std::string name, subject, class_word;
  double seconds = 0;         // first timestamp to last, plus one sampling period
  std::size_t rows = 0;       // feature rows it gave
  int stretches = 1;          // gapless parts (a step over max_gap_seconds splits it)
  double largest_gap = 0;     // seconds; 0 when no step exceeds max_gap_seconds
  double unused_seconds = 0;  // in stretches too short for one row (one window plus one hop)
};

// Featurizes every *.csv in `directory` (sorted by name). Rows carry groups for grouped CV:
// Dataset::group_column = "recording" (one group per file). Also returns, per row, the subject.
struct MuseTable {
  Dataset data;                          // group = recording
  std::vector<std::string> subject;      // per row
  std::vector<std::string> recording;    // per row (file name)
  std::vector<RecordingReport> recordings;  // per file, in file name order
};
MuseTable featurize_muse_directory(const std::string& directory, const MuseOptions& options);

// Regroups a featurized table by "recording" or "subject" (the sweep's cv.group_by).
void set_muse_groups(MuseTable& table, const std::string& group_by);

}  // namespace eegsweep
