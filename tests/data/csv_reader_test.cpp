#include "engine/data/csv_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include "tests/support/emotions_fixture.h"
#include "tests/data/error_matchers.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using fixtures::data_error_of;
using fixtures::EmotionsFixtureOptions;
using fixtures::mentions;
using fixtures::TempDir;
using fixtures::write_emotions_fixture;

// Checks a dataset read from an emotions-layout fixture against what was written.
void expect_matches_fixture(const Dataset& data, const fixtures::EmotionsFixture& fixture,
                            std::size_t rows, std::size_t features) {
  ASSERT_EQ(data.rows, rows);
  ASSERT_EQ(data.features, features);
  ASSERT_EQ(data.x.size(), rows * features);
  EXPECT_EQ(data.feature_names, fixture.feature_names);
  EXPECT_EQ(data.feature_names.front(), "mean_0_a");
  EXPECT_EQ(data.class_names, (std::vector<std::string>{"NEGATIVE", "NEUTRAL", "POSITIVE"}));
  EXPECT_FALSE(data.has_groups());
  for (std::size_t r = 0; r < rows; ++r) {
    ASSERT_EQ(data.class_names.at(static_cast<std::size_t>(data.y[r])), fixture.labels[r])
        << "row " << r;
  }
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < data.x.size(); ++i) {
    // Bit-for-bit equal to strtof's reading of the same text.
    if (std::memcmp(&data.x[i], &fixture.x[i], sizeof(float)) != 0) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(CsvReader, ReadsEmotionsLayout) {
  TempDir dir;
  const std::string path = dir.file("emotions.csv");
  const auto fixture = write_emotions_fixture(path, {});
  const Dataset data = read_feature_csv(path);
  expect_matches_fixture(data, fixture, 60, 2548);
  EXPECT_EQ(data.source, path);
}

TEST(CsvReader, ReadsCrlfBomQuotedHeaderWithoutFinalNewline) {
  TempDir dir;
  EmotionsFixtureOptions options;
  options.rows = 12;
  options.features = 40;
  options.crlf = true;
  options.bom = true;
  options.quote_header = true;
  options.trailing_newline = false;
  const std::string path = dir.file("windows.csv");
  const auto fixture = write_emotions_fixture(path, options);
  expect_matches_fixture(read_feature_csv(path), fixture, 12, 40);
}

TEST(CsvReader, AcceptsTrailingBlankLinesAndSpacesAroundNumbers) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,b,label\n 1.5 , +2,x\n-3e1,4.,y\n\n\n");
  const Dataset data = read_feature_csv(path);
  ASSERT_EQ(data.rows, 2u);
  EXPECT_EQ(data.x, (std::vector<float>{1.5f, 2.0f, -30.0f, 4.0f}));
  EXPECT_EQ(data.y, (std::vector<int>{0, 1}));
}

TEST(CsvReader, LabelColumnMayBeAnywhereAndQuoted) {
  TempDir dir;
  const std::string path =
      dir.write("t.csv", "f1,\"state\",f2\n1,\"calm, eyes closed\",2\n3,\"say \"\"go\"\"\",4\n");
  CsvOptions options;
  options.label_column = "state";
  const Dataset data = read_feature_csv(path, options);
  EXPECT_EQ(data.feature_names, (std::vector<std::string>{"f1", "f2"}));
  EXPECT_EQ(data.x, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(data.class_names, (std::vector<std::string>{"calm, eyes closed", "say \"go\""}));
}

TEST(CsvReader, IntegerLabelsSortNumerically) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,label\n1,10\n2,9\n3,-1\n4,9\n");
  const Dataset data = read_feature_csv(path);
  EXPECT_EQ(data.class_names, (std::vector<std::string>{"-1", "9", "10"}));
  EXPECT_EQ(data.y, (std::vector<int>{2, 1, 0, 1}));
}

TEST(CsvReader, ConfiguredClassOrderWins) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,label\n1,low\n2,high\n3,mid\n");
  CsvOptions options;
  options.classes = {"low", "mid", "high"};
  const Dataset data = read_feature_csv(path, options);
  EXPECT_EQ(data.class_names, options.classes);
  EXPECT_EQ(data.y, (std::vector<int>{0, 2, 1}));
}

TEST(CsvReader, LabelOutsideConfiguredClassesNamesLineAndValue) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,label\n1,low\n2,high\n3,huge\n");
  CsvOptions options;
  options.classes = {"low", "high"};
  const std::string message = data_error_of([&] { read_feature_csv(path, options); });
  EXPECT_TRUE(mentions(message, {path, "line 4", "'huge'", "low, high"}));
}

TEST(CsvReader, GroupColumnIsKeptAndExcludedFromFeatures) {
  TempDir dir;
  const std::string path =
      dir.write("t.csv", "a,rec,b,label\n1,s2,2,x\n3,s1,4,y\n5,s2,6,x\n7,s3,8,y\n");
  CsvOptions options;
  options.group_column = "rec";
  const Dataset data = read_feature_csv(path, options);
  EXPECT_EQ(data.features, 2u);
  EXPECT_EQ(data.feature_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(data.x, (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(data.group_column, "rec");
  EXPECT_EQ(data.group_names, (std::vector<std::string>{"s2", "s1", "s3"}));  // first appearance
  EXPECT_EQ(data.group, (std::vector<int>{0, 1, 0, 2}));
}

TEST(CsvReader, WriteThenReadRoundTripsEveryFloat) {
  Dataset data;
  data.rows = 3;
  data.features = 4;
  data.x = {0.1f, -1e-38f, 3.4028235e38f, 1.17549435e-38f, 1e-45f, -0.0f, 123456.789f,
            2.5e-7f, 1.0f / 3.0f, -7.0f, 16777217.0f, 6.02214076e23f};
  data.y = {1, 0, 1};
  data.class_names = {"NEGATIVE", "POSITIVE"};
  data.feature_names = {"a", "b,with comma", " c ", "d"};
  data.group_column = "recording";
  data.group = {0, 1, 0};
  data.group_names = {"rec a", "rec\"b\""};
  TempDir dir;
  const std::string path = dir.file("round.csv");
  write_feature_csv(data, path);
  CsvOptions options;
  options.group_column = "recording";
  const Dataset back = read_feature_csv(path, options);
  EXPECT_EQ(back.rows, data.rows);
  EXPECT_EQ(back.features, data.features);
  EXPECT_EQ(back.feature_names, data.feature_names);
  EXPECT_EQ(back.class_names, data.class_names);
  EXPECT_EQ(back.y, data.y);
  EXPECT_EQ(back.group, data.group);
  EXPECT_EQ(back.group_names, data.group_names);
  ASSERT_EQ(back.x.size(), data.x.size());
  EXPECT_EQ(std::memcmp(back.x.data(), data.x.data(), data.x.size() * sizeof(float)), 0);
  EXPECT_EQ(dataset_hash(back), dataset_hash(data));
}

TEST(CsvReader, ReadsSubnormalValues) {
  TempDir dir;
  const std::string path = dir.write("t.csv", "a,label\n1e-40,x\n-2e-45,y\n1e-50,x\n");
  const Dataset data = read_feature_csv(path);
  EXPECT_EQ(data.x[0], std::strtof("1e-40", nullptr));
  EXPECT_EQ(data.x[1], std::strtof("-2e-45", nullptr));
  EXPECT_EQ(data.x[2], 0.0f);
}

// --- errors -----------------------------------------------------------------------------------

TEST(CsvReaderErrors, MissingFile) {
  TempDir dir;
  const std::string path = dir.file("absent.csv");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                       {path, "cannot read", "no such file"}));
}

TEST(CsvReaderErrors, EmptyFile) {
  TempDir dir;
  const std::string path = dir.write("empty.csv", "");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }), {path, "empty"}));
  const std::string blank = dir.write("blank.csv", "\xEF\xBB\xBF\r\n\n");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(blank); }), {blank, "empty"}));
}

TEST(CsvReaderErrors, HeaderOnly) {
  TempDir dir;
  const std::string path = dir.write("h.csv", "a,b,label\n");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }), {path, "no data rows"}));
}

TEST(CsvReaderErrors, RaggedRowTooShort) {
  TempDir dir;
  const std::string path = dir.write("r.csv", "a,b,c,label\n1,2,3,x\n\n1,2,y\n");
  // Line numbers are physical lines: the blank line 3 counts.
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                       {path, ": line 4 has 3 fields, header has 4"}));
}

TEST(CsvReaderErrors, RaggedRowTooLong) {
  TempDir dir;
  const std::string path = dir.write("r.csv", "a,b,label\r\n1,2,x\r\n1,2,y,\"q,r\",5\r\n");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                       {path, ": line 3 has 5 fields, header has 3"}));
}

TEST(CsvReaderErrors, RaggedEmotionsRowNamesCounts) {
  TempDir dir;
  EmotionsFixtureOptions options;
  options.rows = 20;
  const std::string path = dir.file("e.csv");
  write_emotions_fixture(path, options);
  // Drop the first cell of line 17 (the 16th data row).
  std::string text;
  {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
  }
  std::size_t pos = 0;
  for (int line = 1; line < 17; ++line) pos = text.find('\n', pos) + 1;
  text.erase(pos, text.find(',', pos) + 1 - pos);
  dir.write("e.csv", text);
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                       {path, "line 17 has 2548 fields, header has 2549"}));
}

TEST(CsvReaderErrors, NonNumericCellNamesLineAndColumn) {
  TempDir dir;
  const std::string path = dir.write("n.csv", "alpha,beta,label\n1,2,x\n3,abc,y\n");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                       {path, "line 3", "'beta'", "'abc'", "not a number"}));
  const std::string partial = dir.write("p.csv", "alpha,beta,label\n1,2.5.1,x\n3,4,y\n");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(partial); }),
                       {"line 2", "'beta'", "'2.5.1'"}));
  const std::string empty_cell = dir.write("e.csv", "alpha,beta,label\n1,2,x\n,4,y\n");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(empty_cell); }),
                       {"line 3", "'alpha'", "empty cell"}));
}

TEST(CsvReaderErrors, NanAndInfinityAreRejected) {
  TempDir dir;
  for (const std::string bad : {"nan", "NaN", "inf", "-Infinity"}) {
    const std::string path = dir.write("bad.csv", "a,b,label\n1,2,x\n3," + bad + ",y\n");
    EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                         {path, "line 3", "'b'", "'" + bad + "'", "not a finite number"}));
  }
}

// FLT_MAX is 3.4028235e38: anything larger in magnitude, even when a double holds it, overflows.
TEST(CsvReaderErrors, NumbersBeyondFloatRangeSayTheyOverflowFloat32) {
  TempDir dir;
  for (const std::string bad : {"1e39", "-4e100", "1e308", "1e400", "3.5e38"}) {
    const std::string path = dir.write("big.csv", "a,b,label\n1,2,x\n3," + bad + ",y\n");
    EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                         {path, "line 3", "'b'", "'" + bad + "'", "overflows float32"}));
  }
}

// Below the smallest subnormal (1.4e-45) a value rounds to zero, as strtof does, even beyond the
// double range.
TEST(CsvReader, NumbersBelowFloatRangeReadAsZero) {
  TempDir dir;
  const std::string path = dir.write("tiny.csv", "a,b,label\n1e-400,-1e-50,x\n3,4,y\n");
  const Dataset data = read_feature_csv(path);
  EXPECT_EQ(data.x[0], 0.0f);
  EXPECT_EQ(data.x[1], -0.0f);
}

TEST(CsvReaderErrors, MissingLabelColumnListsColumns) {
  TempDir dir;
  const std::string path = dir.write("m.csv", "a,b,class\n1,2,x\n");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                       {path, "no label column 'label'", "'a'", "'class'"}));
  CsvOptions options;
  options.group_column = "subject";
  options.label_column = "class";
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path, options); }),
                       {path, "no group column 'subject'"}));
}

TEST(CsvReaderErrors, FewerThanTwoClasses) {
  TempDir dir;
  const std::string path = dir.write("c.csv", "a,label\n1,x\n2,x\n");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                       {path, "at least 2 classes", "'x'"}));
}

TEST(CsvReaderErrors, ClassBelowMinimumRows) {
  TempDir dir;
  const std::string path =
      dir.write("c.csv", "a,label\n1,x\n2,x\n3,x\n4,y\n5,y\n6,x\n7,x\n8,y\n");
  CsvOptions options;
  options.min_rows_per_class = 5;
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path, options); }),
                       {path, "class 'y' has 3 rows", "at least 5"}));
  options.min_rows_per_class = 3;
  EXPECT_EQ(read_feature_csv(path, options).rows, 8u);
}

TEST(CsvReaderErrors, DuplicateColumnNames) {
  TempDir dir;
  const std::string path = dir.write("d.csv", "a,b,a,label\n1,2,3,x\n");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                       {path, "duplicate column name 'a'", "columns 1 and 3"}));
}

TEST(CsvReaderErrors, UnclosedQuote) {
  TempDir dir;
  const std::string path = dir.write("q.csv", "a,label\n1,x\n2,\"y\n3,z\n");
  EXPECT_TRUE(mentions(data_error_of([&] { read_feature_csv(path); }),
                       {path, "line 3", "never closed"}));
}

// The real table, when a user has put it beside the project (it cannot be shipped).
TEST(CsvReader, RealEmotionsCsvWhenPresent) {
  const std::filesystem::path path = std::filesystem::path(EEGSWEEP_SHARED_DATA) / "emotions.csv";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << "Kaggle's emotions.csv is not at " << path << " (it cannot be shipped)";
  }
  const Dataset data = read_feature_csv(path.string());
  EXPECT_EQ(data.rows, 2132u);
  EXPECT_EQ(data.features, 2548u);
  EXPECT_EQ(data.feature_names.front(), "mean_0_a");
  ASSERT_EQ(data.class_names, (std::vector<std::string>{"NEGATIVE", "NEUTRAL", "POSITIVE"}));
  std::vector<int> counts(3, 0);
  for (int label : data.y) ++counts[static_cast<std::size_t>(label)];
  EXPECT_EQ(counts, (std::vector<int>{708, 716, 708}));
}

}  // namespace
}  // namespace eegsweep
