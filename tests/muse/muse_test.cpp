#include "engine/data/muse/muse.h"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/data/csv_reader.h"
#include "engine/data/muse/eeg_features.h"
#include "engine/data/muse/muse_recording.h"
#include "tests/muse/muse_fixtures.h"

namespace eegsweep {
namespace {

using testing::muse_csv;
using testing::TempDir;

std::string error_of(const std::string& dir, const MuseOptions& options) {
  try {
    featurize_muse_directory(dir, options);
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

std::size_t column(const Dataset& d, const std::string& name) {
  for (std::size_t f = 0; f < d.features; ++f) {
    if (d.feature_names[f] == name) return f;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

// 5.2 s → windows starting at 0, 0.5, …, 4.0 s (9) → 8 rows; 3.2 s → 5 windows → 4 rows.
class MuseDirectory : public ::testing::Test {
 protected:
  MuseDirectory() : dir_("dir") {
    dir_.write("s1-calm-1.csv", muse_csv(5.2));
    dir_.write("s1-busy-1.csv", muse_csv(5.2, {8, 12, 18, 25}));
    dir_.write("s2-calm-2.csv", muse_csv(3.2));
    dir_.write("notes.txt", "not a recording");
  }
  TempDir dir_;
};

TEST_F(MuseDirectory, BuildsLabelledGroupedRows) {
  const MuseTable table = featurize_muse_directory(dir_.str(), {});
  const Dataset& d = table.data;
  EXPECT_EQ(d.source, dir_.str());
  ASSERT_EQ(d.rows, 20u);
  EXPECT_EQ(d.class_names, (std::vector<std::string>{"busy", "calm"}));
  const WindowFeaturizer reference(4, 150, {});
  EXPECT_EQ(d.features, reference.row_size());
  EXPECT_EQ(d.feature_names, reference.row_names());
  ASSERT_EQ(d.x.size(), d.rows * d.features);
  EXPECT_EQ(d.group_column, "recording");
  EXPECT_EQ(d.group_names,
            (std::vector<std::string>{"s1-busy-1.csv", "s1-calm-1.csv", "s2-calm-2.csv"}));
  ASSERT_EQ(d.y.size(), d.rows);
  ASSERT_EQ(d.group.size(), d.rows);
  ASSERT_EQ(table.subject.size(), d.rows);
  ASSERT_EQ(table.recording.size(), d.rows);
  for (std::size_t r = 0; r < d.rows; ++r) {
    const std::size_t file = r < 8 ? 0 : r < 16 ? 1 : 2;
    EXPECT_EQ(d.group[r], static_cast<int>(file)) << r;
    EXPECT_EQ(d.y[r], file == 0 ? 0 : 1) << r;
    EXPECT_EQ(table.recording[r], d.group_names[file]);
    EXPECT_EQ(table.subject[r], file == 2 ? "s2" : "s1");
  }
  for (float v : d.x) ASSERT_TRUE(std::isfinite(v));
}

TEST_F(MuseDirectory, EachRowRepeatsThePreviousRowsCurrentWindow) {
  const Dataset d = featurize_muse_directory(dir_.str(), {}).data;
  const std::size_t cur = column(d, "std_2_b"), prev = column(d, "std_2_a");
  const std::size_t cur_top = column(d, "topFreq_1_1_b"), prev_top = column(d, "topFreq_1_1_a");
  for (std::size_t r = 1; r < d.rows; ++r) {
    if (d.group[r] != d.group[r - 1]) continue;
    EXPECT_EQ(d.row(r)[prev], d.row(r - 1)[cur]) << r;
    EXPECT_EQ(d.row(r)[prev_top], d.row(r - 1)[cur_top]) << r;
  }
  // The dominant frequencies of the synthetic channels come through (AF7 is a 10 Hz sine in the
  // calm files, 12 Hz in the busy one).
  EXPECT_EQ(d.row(0)[cur_top], 12.0f);
  EXPECT_EQ(d.row(10)[cur_top], 10.0f);
}

TEST_F(MuseDirectory, FilteringRemovesTheElectrodeOffset) {
  const Dataset filtered = featurize_muse_directory(dir_.str(), {}).data;
  MuseOptions raw_options;
  raw_options.filter = false;
  const Dataset raw = featurize_muse_directory(dir_.str(), raw_options).data;
  const std::size_t mean = column(filtered, "mean_0_b"), std = column(filtered, "std_0_b");
  for (std::size_t r = 0; r < filtered.rows; ++r) {
    EXPECT_NEAR(raw.row(r)[mean], 800.0, 5.0);
    EXPECT_NEAR(filtered.row(r)[mean], 0.0, 5.0);
    // A 20 µV sine in the pass band: std 20/√2 either way.
    EXPECT_NEAR(filtered.row(r)[std], 20.0 / std::sqrt(2.0), 0.5);
    EXPECT_NEAR(raw.row(r)[std], 20.0 / std::sqrt(2.0), 0.5);
  }
}

// The `sweep featurize DIR -o FILE` path: featurize, write, and read back as any feature table.
TEST_F(MuseDirectory, FeatureCsvRoundTrip) {
  const Dataset d = featurize_muse_directory(dir_.str(), {}).data;
  const std::string csv = dir_.file("features.out");
  write_feature_csv(d, csv);
  CsvOptions options;
  options.group_column = "recording";
  const Dataset back = read_feature_csv(csv, options);
  EXPECT_EQ(back.rows, d.rows);
  EXPECT_EQ(back.feature_names, d.feature_names);
  EXPECT_EQ(back.class_names, d.class_names);
  EXPECT_EQ(back.x, d.x);
  EXPECT_EQ(back.y, d.y);
  ASSERT_EQ(back.group.size(), d.rows);
  for (std::size_t r = 0; r < d.rows; ++r) {
    EXPECT_EQ(back.group_names[static_cast<std::size_t>(back.group[r])],
              d.group_names[static_cast<std::size_t>(d.group[r])]);
  }
}

TEST_F(MuseDirectory, ExplicitClassOrder) {
  MuseOptions options;
  options.classes = {"calm", "busy", "bored"};
  const Dataset d = featurize_muse_directory(dir_.str(), options).data;
  EXPECT_EQ(d.class_names, options.classes);
  EXPECT_EQ(d.y.front(), 1);  // s1-busy-1 comes first by file name
  EXPECT_EQ(d.y.back(), 0);
}

TEST_F(MuseDirectory, ClassWordOutsideTheClassesNamesFileAndWord) {
  MuseOptions options;
  options.classes = {"calm", "relaxed"};
  const std::string msg = error_of(dir_.str(), options);
  EXPECT_NE(msg.find("s1-busy-1.csv"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'busy'"), std::string::npos) << msg;
}

TEST_F(MuseDirectory, RegroupsBySubjectOrRecording) {
  MuseTable table = featurize_muse_directory(dir_.str(), {});
  set_muse_groups(table, "subject");
  EXPECT_EQ(table.data.group_column, "subject");
  EXPECT_EQ(table.data.group_names, (std::vector<std::string>{"s1", "s2"}));
  for (std::size_t r = 0; r < table.data.rows; ++r) {
    EXPECT_EQ(table.data.group[r], r < 16 ? 0 : 1);
  }
  set_muse_groups(table, "recording");
  EXPECT_EQ(table.data.group_column, "recording");
  EXPECT_EQ(table.data.group_names.size(), 3u);
  EXPECT_EQ(table.data.group[8], 1);
  try {
    set_muse_groups(table, "session");
    FAIL() << "expected DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("'session'"), std::string::npos) << e.what();
  }
}

TEST(Muse, FileNameNotMatchingThePatternNamesFileAndPattern) {
  TempDir dir("pattern");
  dir.write("a-calm-1.csv", muse_csv(3.2));
  dir.write("recording.csv", muse_csv(3.2));
  const std::string msg = error_of(dir.str(), {});
  EXPECT_NE(msg.find("recording.csv"), std::string::npos) << msg;
  EXPECT_NE(msg.find("{subject}-{class}-{session}.csv"), std::string::npos) << msg;

  MuseOptions bad;
  bad.filename_pattern = "{subject}-{mood}.csv";
  EXPECT_NE(error_of(dir.str(), bad).find("unknown placeholder {mood}"), std::string::npos);
  bad.filename_pattern = "{subject}.csv";
  EXPECT_NE(error_of(dir.str(), bad).find("no {class}"), std::string::npos);
}

TEST(Muse, ConfigurablePattern) {
  TempDir dir("custom");
  dir.write("calm_ann.csv", muse_csv(3.2));
  dir.write("busy_bob.csv", muse_csv(3.2));
  MuseOptions options;
  options.filename_pattern = "{class}_{subject}.csv";
  const MuseTable t = featurize_muse_directory(dir.str(), options);
  EXPECT_EQ(t.data.class_names, (std::vector<std::string>{"busy", "calm"}));
  EXPECT_EQ(t.subject.front(), "bob");
  EXPECT_EQ(t.subject.back(), "ann");
}

TEST(Muse, TooShortRecordingNamesFileAndDuration) {
  TempDir dir("short");
  dir.write("a-calm-1.csv", muse_csv(3.2));
  dir.write("a-calm-2.csv", muse_csv(0.5));
  std::string msg = error_of(dir.str(), {});
  EXPECT_NE(msg.find("a-calm-2.csv"), std::string::npos) << msg;
  EXPECT_NE(msg.find("0.50"), std::string::npos) << msg;  // 0.500 s, give or take a sample
  EXPECT_NE(msg.find("shorter than one window"), std::string::npos) << msg;

  // Longer than a window but too short for a row (window + hop).
  dir.write("a-calm-2.csv", muse_csv(1.2));
  msg = error_of(dir.str(), {});
  EXPECT_NE(msg.find("a-calm-2.csv"), std::string::npos) << msg;
  EXPECT_NE(msg.find("one window plus one hop"), std::string::npos) << msg;
}

TEST(Muse, PausesSplitTheRecording) {
  TempDir dir("gap");
  dir.write("a-calm-1.csv", muse_csv(6.4, {6, 10, 14, 22}, 3.2, 5.0));
  const MuseTable split = featurize_muse_directory(dir.str(), {});
  EXPECT_EQ(split.data.rows, 8u);  // two stretches of 3.2 s: 4 rows each
  MuseOptions options;
  options.max_gap_seconds = 10.0;  // pretend the pause is not there: windows run across it
  // One stretch of 11.4 s: windows start at 0, 0.5, …, 10.0 s (21) → 20 rows.
  EXPECT_EQ(featurize_muse_directory(dir.str(), options).data.rows, 20u);
}

TEST(Muse, BadOptionsAndDirectories) {
  TempDir dir("options");
  EXPECT_NE(error_of(dir.str(), {}).find("no *.csv"), std::string::npos);
  EXPECT_NE(error_of(dir.file("missing"), {}).find("not a directory"), std::string::npos);
  dir.write("a-calm-1.csv", muse_csv(3.2));
  MuseOptions options;
  options.channels = {};
  EXPECT_NE(error_of(dir.str(), options).find("no channels"), std::string::npos);
  options.channels = {"TP9", "Fz"};
  EXPECT_NE(error_of(dir.str(), options).find("channel 'Fz'"), std::string::npos);
  options = {};
  options.bandpass_high_hz = 200.0;  // above the 128 Hz Nyquist frequency
  const std::string msg = error_of(dir.str(), options);
  EXPECT_NE(msg.find("a-calm-1.csv"), std::string::npos) << msg;
  EXPECT_NE(msg.find("sampling rate"), std::string::npos) << msg;
}

TEST(Muse, OneSecondSnippetsAreShorterThanAWindow) {
  const std::string dir = std::string(EEGSWEEP_SHARED_DATA) + "/muse-test-windows";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "shared data absent: " << dir;
  MuseOptions options;
  options.filename_pattern = "{class}.csv";
  // The "1 s" snippets hold 96 and 77 samples: 0.375 s at 256 Hz.
  const std::string msg = error_of(dir, options);
  EXPECT_NE(msg.find("1sec.csv"), std::string::npos) << msg;
  EXPECT_NE(msg.find("shorter than one window"), std::string::npos) << msg;
}

TEST(Muse, AllEighteenRealRecordings) {
  const std::string dir = std::string(EEGSWEEP_SHARED_DATA) + "/muse-mental-state";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "shared data absent: " << dir;
  const auto start = std::chrono::steady_clock::now();
  const MuseTable table = featurize_muse_directory(dir, {});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Dataset& d = table.data;
  EXPECT_EQ(d.class_names, (std::vector<std::string>{"concentrating", "neutral", "relaxed"}));
  ASSERT_EQ(d.group_names.size(), 18u);
  EXPECT_EQ(d.features, 980u);

  std::map<std::string, std::size_t> rows_of;
  for (const std::string& r : table.recording) ++rows_of[r];
  ASSERT_EQ(rows_of.size(), 18u);
  for (const auto& [name, rows] : rows_of) {
    // Gapless duration, from the file itself: about 2 rows per second (1 s windows, 0.5 s hop,
    // the first window of each stretch unpaired).
    const MuseRecording rec = read_muse_csv(dir + "/" + name, {"TP9"});
    double gapless = 0;
    std::size_t stretches = 0;
    for (const Stretch& s : split_at_gaps(rec.t, 0.1)) {
      const double length = rec.t[s.end - 1] - rec.t[s.begin];
      if (length < 1.5) continue;
      gapless += length;
      ++stretches;
    }
    EXPECT_LE(static_cast<double>(rows), 2.0 * gapless) << name;
    EXPECT_GE(static_cast<double>(rows), 2.0 * gapless - 4.0 * static_cast<double>(stretches)) << name;
  }
  EXPECT_GE(rows_of["subjectc-neutral-2.csv"], 15u);  // the short one (about 9 s)
  for (std::size_t r = 0; r < d.rows; ++r) {
    EXPECT_EQ(d.class_names[static_cast<std::size_t>(d.y[r])],
              table.recording[r].substr(table.recording[r].find('-') + 1,
                                        table.recording[r].rfind('-') -
                                            table.recording[r].find('-') - 1));
  }
  for (float v : d.x) ASSERT_TRUE(std::isfinite(v));
  std::cout << "[ info ] " << d.rows << " rows × " << d.features << " features from 18 recordings in "
            << seconds << " s\n";
}

}  // namespace
}  // namespace eegsweep
