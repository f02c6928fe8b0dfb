// What featurizing saw: per recording its length, rows, stretches, largest gap and unused time
// (MuseTable::recordings), said in words for the short and the gapped ones; the feature table
// written with `subject` beside `recording`, and read back with neither as a feature.
#include "engine/data/muse/recording_report.h"

#include <gtest/gtest.h>

#include "engine/data/csv_reader.h"
#include "tests/muse/muse_fixtures.h"

namespace eegsweep {
namespace {

using testing::muse_csv;
using testing::TempDir;

TEST(RecordingReport, LengthRowsStretchesAndLargestGapPerRecording) {
  TempDir dir("report");
  // 256 Hz, timestamps rounded to the millisecond (so a length of exactly k windows may lose the
  // last one; these lengths stay clear of that). a: 10.2 s, no gap → windows at 0, 0.5, …, 9.0
  // (19) → 18 rows.
  dir.write("a-calm-1.csv", muse_csv(10.2));
  // b: 3.2 s, then a 5 s pause, then 3.2 s: two stretches of 3.2 s, 4 rows each; the step over
  // the pause is 5 s + one sample (1/256 s), but timestamps are rounded to the millisecond.
  dir.write("b-busy-1.csv", muse_csv(6.4, {8, 12, 18, 25}, 3.2, 5.0));
  // c: 2.2 s → windows at 0, 0.5, 1.0 (3; one at 1.5 would end past 2.2 s) → 2 rows; shorter
  // than 4 windows.
  dir.write("c-calm-2.csv", muse_csv(2.2));
  // d: 3.2 s, a 2 s pause, then 1.2 s: the second stretch cannot hold a window plus a hop.
  dir.write("d-busy-2.csv", muse_csv(4.4, {8, 12, 18, 25}, 3.2, 2.0));
  const MuseTable table = featurize_muse_directory(dir.str(), {});
  ASSERT_EQ(table.recordings.size(), 4u);

  const RecordingReport& a = table.recordings[0];
  EXPECT_EQ(a.name, "a-calm-1.csv");
  EXPECT_EQ(a.subject, "a");
  EXPECT_EQ(a.class_word, "calm");
  EXPECT_EQ(a.rows, 18u);
  EXPECT_EQ(a.stretches, 1);
  EXPECT_EQ(a.largest_gap, 0.0);
  EXPECT_NEAR(a.seconds, 10.2, 0.01);

  const RecordingReport& b = table.recordings[1];
  EXPECT_EQ(b.rows, 8u);
  EXPECT_EQ(b.stretches, 2);
  EXPECT_NEAR(b.largest_gap, 5.0 + 1.0 / 256, 0.002);
  EXPECT_NEAR(b.seconds, 6.4 + 5.0, 0.01);
  EXPECT_EQ(b.unused_seconds, 0.0);

  const RecordingReport& c = table.recordings[2];
  EXPECT_EQ(c.rows, 2u);
  EXPECT_NEAR(c.seconds, 2.2, 0.01);

  const RecordingReport& d = table.recordings[3];
  EXPECT_EQ(d.rows, 4u);
  EXPECT_EQ(d.stretches, 2);
  EXPECT_NEAR(d.largest_gap, 2.0 + 1.0 / 256, 0.002);
  EXPECT_NEAR(d.unused_seconds, 1.2, 0.01);

  EXPECT_EQ(table.data.rows, 18u + 8u + 2u + 4u);

  const std::string text = describe_recordings(table.recordings, {});
  EXPECT_NE(text.find("1 recording(s) shorter than 4 windows (4.0 s): c-calm-2.csv 2.2 s (2 rows)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("2 recording(s) with gaps over 0.10 s"), std::string::npos) << text;
  EXPECT_NE(text.find("b-busy-1.csv 11.4 s in 2 stretches, largest gap 5.00 s, 0.00 s unused"),
            std::string::npos) << text;
  EXPECT_NE(text.find("d-busy-2.csv 6.4 s in 2 stretches, largest gap 2.00 s, 1.20 s unused"),
            std::string::npos) << text;
  EXPECT_EQ(text.find("a-calm-1.csv"), std::string::npos) << text;
}

TEST(RecordingReport, NothingToSayAboutLongGaplessRecordings) {
  TempDir dir("quiet");
  dir.write("a-calm-1.csv", muse_csv(5.0));
  dir.write("a-busy-1.csv", muse_csv(5.0, {8, 12, 18, 25}));
  EXPECT_EQ(describe_recordings(featurize_muse_directory(dir.str(), {}).recordings, {}), "");
}

TEST(RecordingReport, TheTableCarriesSubjectAndRecordingAndReadsBackWithoutThem) {
  TempDir dir("subject");
  dir.write("anna-calm-1.csv", muse_csv(3.2));
  dir.write("ben-busy-1.csv", muse_csv(3.2, {8, 12, 18, 25}));
  const MuseTable table = featurize_muse_directory(dir.str(), {});
  const std::string csv = dir.file("features.out");
  write_feature_csv(table.data, csv, false, {TextColumn{"subject", table.subject}});

  std::ifstream in(csv);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  EXPECT_EQ(header.substr(header.size() - std::string(",recording,subject,label").size()),
            ",recording,subject,label");
  EXPECT_EQ(first.substr(first.size() - std::string(",anna-calm-1.csv,anna,calm").size()),
            ",anna-calm-1.csv,anna,calm");

  // Grouped by subject, the recording column is skipped; grouped by recording, the subject is.
  for (const std::string group : {"subject", "recording"}) {
    CsvOptions options;
    options.group_column = group;
    const Dataset back = read_feature_csv(csv, options);
    EXPECT_EQ(back.features, table.data.features) << group;
    EXPECT_EQ(back.feature_names, table.data.feature_names) << group;
    EXPECT_EQ(back.x, table.data.x) << group;
    EXPECT_EQ(back.group_column, group);
  }
  EXPECT_EQ(read_feature_csv(csv, {}).group_names,
            (std::vector<std::string>{}));  // no group column asked for: both skipped
  EXPECT_EQ(read_feature_csv(csv, {}).features, table.data.features);
}

}  // namespace
}  // namespace eegsweep
