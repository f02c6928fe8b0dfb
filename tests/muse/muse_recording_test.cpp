#include "engine/data/muse/muse_recording.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/data/dataset.h"
#include "tests/muse/muse_fixtures.h"

namespace eegsweep {
namespace {

using testing::TempDir;

const std::vector<std::string> kChannels = {"TP9", "AF7", "AF8", "TP10"};

// The DataError message for reading `text` as a recording.
std::string read_error(const std::string& text, const std::vector<std::string>& channels = kChannels) {
  TempDir dir("reader");
  dir.write("rec.csv", text);
  try {
    read_muse_csv(dir.file("rec.csv"), channels);
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no error)";
}

const char* kHeader = "timestamps,TP9,AF7,AF8,TP10,Right AUX\n";

TEST(ReadMuseCsv, ReadsTheSelectedChannelsInTheirOrder) {
  TempDir dir("reader");
  dir.write("rec.csv", std::string(kHeader) +
                           "100.000,1,2,3,4,5\r\n"
                           "100.004, 11 ,12,13,14,15\n"
                           "100.008,21,22,23,24,\n\n");
  const MuseRecording rec = read_muse_csv(dir.file("rec.csv"), {"AF8", "TP9"});
  ASSERT_EQ(rec.samples(), 3u);
  EXPECT_DOUBLE_EQ(rec.t[1], 100.004);
  EXPECT_EQ(rec.channels[0], (std::vector<double>{3, 13, 23}));
  EXPECT_EQ(rec.channels[1], (std::vector<double>{1, 11, 21}));  // blank Right AUX not read
}

TEST(ReadMuseCsv, WrongColumnCountNamesFileAndRow) {
  const std::string msg = read_error(std::string(kHeader) + "1.0,1,2,3,4,5\n1.004,1,2,3,4\n");
  EXPECT_NE(msg.find("rec.csv"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected 6 columns"), std::string::npos) << msg;
  EXPECT_NE(msg.find("found 5"), std::string::npos) << msg;
}

TEST(ReadMuseCsv, BlankOrBadCellsNameFileRowAndColumn) {
  std::string msg = read_error(std::string(kHeader) + "1.0,1,2,3,4,5\n,1,2,3,4,5\n");
  EXPECT_NE(msg.find("rec.csv: line 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("timestamps"), std::string::npos) << msg;
  EXPECT_NE(msg.find("blank"), std::string::npos) << msg;
  msg = read_error(std::string(kHeader) + "1.0,1,2,3,4,5\n1.004,1,x7,3,4,5\n");
  EXPECT_NE(msg.find("line 3 (data row 2), column 3 (AF7)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'x7'"), std::string::npos) << msg;
  msg = read_error(std::string(kHeader) + "1.0,1,2,nan,4,5\n");
  EXPECT_NE(msg.find("line 2 (data row 1), column 4 (AF8)"), std::string::npos) << msg;
  msg = read_error(std::string(kHeader) + "1.0,1,2,3,4,5\n\n1.008,1,2,3,4,5\n");
  EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("empty line"), std::string::npos) << msg;
}

TEST(ReadMuseCsv, TimestampsMustStrictlyIncrease) {
  std::string msg = read_error(std::string(kHeader) + "1.000,1,2,3,4,5\n1.004,1,2,3,4,5\n"
                                                      "1.002,1,2,3,4,5\n");
  EXPECT_NE(msg.find("rec.csv: line 4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("not after"), std::string::npos) << msg;
  msg = read_error(std::string(kHeader) + "1.000,1,2,3,4,5\n1.004,1,2,3,4,5\n1.004,1,2,3,4,5\n");
  EXPECT_NE(msg.find("line 4"), std::string::npos) << msg;  // a duplicate is not an increase
}

TEST(ReadMuseCsv, HeaderProblems) {
  std::string msg = read_error(std::string(kHeader) + "1.0,1,2,3,4,5\n", {"TP9", "Fz"});
  EXPECT_NE(msg.find("channel 'Fz'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 1"), std::string::npos) << msg;
  msg = read_error("time,TP9,AF7,AF8,TP10\n1.0,1,2,3,4\n");
  EXPECT_NE(msg.find("no 'timestamps' column"), std::string::npos) << msg;
  msg = read_error("");
  EXPECT_NE(msg.find("empty file"), std::string::npos) << msg;
  msg = read_error(kHeader);
  EXPECT_NE(msg.find("no data rows"), std::string::npos) << msg;
  EXPECT_THROW(read_muse_csv("/nonexistent/rec.csv", kChannels), DataError);
}

TEST(SamplingRate, SeesThroughMillisecondRounding) {
  std::vector<double> t;
  for (int i = 0; i < 2000; ++i) t.push_back(std::round((1e9 + i / 256.0) * 1000.0) / 1000.0);
  // Every rounded step is 3, 4 or 5 ms; their median alone would say 250 Hz.
  std::vector<double> steps;
  for (std::size_t i = 1; i < t.size(); ++i) steps.push_back(t[i] - t[i - 1]);
  std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
  EXPECT_NEAR(1.0 / steps[steps.size() / 2], 250.0, 1.0);
  EXPECT_NEAR(estimate_sampling_rate(t), 256.0, 0.5);
  // A long pause in the middle does not move the median.
  for (std::size_t i = 1000; i < t.size(); ++i) t[i] += 700.0;
  EXPECT_NEAR(estimate_sampling_rate(t), 256.0, 0.5);
  EXPECT_EQ(estimate_sampling_rate({1.0}), 0.0);
}

TEST(SplitAtGaps, StartsANewStretchAfterAPause) {
  const std::vector<double> t = {0.0, 0.004, 0.008, 0.5, 0.504, 0.52, 9.0};
  const std::vector<Stretch> s = split_at_gaps(t, 0.1);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].begin, 0u);
  EXPECT_EQ(s[0].end, 3u);
  EXPECT_EQ(s[1].begin, 3u);
  EXPECT_EQ(s[1].end, 6u);
  EXPECT_EQ(s[2].begin, 6u);
  EXPECT_EQ(s[2].end, 7u);
}

TEST(SplitAtGaps, RealRecordingWithPauses) {
  const std::string path =
      std::string(EEGSWEEP_SHARED_DATA) + "/muse-mental-state/subjectb-relaxed-2.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data absent: " << path;
  const MuseRecording rec = read_muse_csv(path, kChannels);
  // This recording is several sessions glued together (one pause is 700 s).
  const std::vector<Stretch> s = split_at_gaps(rec.t, 0.1);
  EXPECT_GT(s.size(), 5u);
  double covered = 0;
  for (const Stretch& x : s) covered += rec.t[x.end - 1] - rec.t[x.begin];
  EXPECT_LT(covered, 60.0);
  EXPECT_GT(rec.t.back() - rec.t.front(), 900.0);
}

TEST(ResampleLinear, InterpolatesOnTheTimestamps) {
  // Uneven timestamps (a dropped sample) on a straight line: interpolation is exact.
  const std::vector<double> t = {0.0, 0.004, 0.016, 0.020, 0.024};
  std::vector<double> x;
  for (double ti : t) x.push_back(3.0 + 100.0 * ti);
  std::vector<double> out(7);
  resample_linear(t.data(), x.data(), t.size(), 0.001, 0.003, out.size(), out.data());
  for (std::size_t j = 0; j < out.size(); ++j) {
    EXPECT_NEAR(out[j], 3.0 + 100.0 * (0.001 + 0.003 * static_cast<double>(j)), 1e-12) << j;
  }
  // Outside the samples: the nearest end value.
  resample_linear(t.data(), x.data(), t.size(), -1.0, 1.0, 3, out.data());
  EXPECT_EQ(out[0], x.front());
  EXPECT_EQ(out[2], x.back());
}

}  // namespace
}  // namespace eegsweep
