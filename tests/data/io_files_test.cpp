// Input files are regular files of bounded size; output files appear complete or not at all and
// never replace a SQLite database by accident.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <sstream>

#include "engine/data/dataset.h"
#include "engine/data/input_file.h"
#include "engine/data/output_file.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using fixtures::TempDir;
namespace fs = std::filesystem;

std::string text_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string data_error(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const DataError& e) {
    return e.what();
  }
  return "(no DataError)";
}

TEST(InputFile, ReadsARegularFileWhole) {
  TempDir dir;
  const std::string path = dir.write("a.txt", std::string("a\0b\n", 4));
  EXPECT_EQ(read_regular_file(path, "table"), std::string("a\0b\n", 4));
}

TEST(InputFile, RefusesWhatIsNotARegularFileOrTooLarge) {
  TempDir dir;
  const std::string fifo = dir.file("fifo.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_NE(data_error([&] { read_regular_file(fifo, "CSV table"); }).find("FIFO"), std::string::npos);
  EXPECT_NE(data_error([&] { read_regular_file("/dev/zero", "CSV table"); }).find("character device"),
            std::string::npos);
  EXPECT_NE(data_error([&] { read_regular_file(dir.file(""), "CSV table"); }).find("directory"),
            std::string::npos);
  const std::string missing = data_error([&] { read_regular_file(dir.file("none"), "CSV table"); });
  EXPECT_NE(missing.find("cannot read the CSV table: no such file"), std::string::npos) << missing;
  const std::string big = dir.write("big.txt", std::string(11, 'x'));
  const std::string message = data_error([&] { read_regular_file(big, "note", 10); });
  EXPECT_NE(message.find("it is 11 bytes; a note may be at most 10 bytes"), std::string::npos) << message;
  EXPECT_EQ(read_regular_file(big, "note", 11), std::string(11, 'x'));
}

TEST(OutputFile, ReplacesTheFileOnlyOnCommit) {
  TempDir dir;
  const std::string path = dir.write("out.csv", "old\n");
  {
    AtomicOutputFile out(path);
    out.write("new ");
    EXPECT_EQ(text_of(path), "old\n") << "nothing visible before commit";
    out.write("text\n");
    out.commit();
  }
  EXPECT_EQ(text_of(path), "new text\n");
  {
    AtomicOutputFile abandoned(path);
    abandoned.write("half");
  }  // destroyed uncommitted, as when an exception unwinds
  EXPECT_EQ(text_of(path), "new text\n");
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.file(""))) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u) << "no temporary file left beside it";
}

TEST(OutputFile, RefusesSqliteFilesUnlessForced) {
  TempDir dir;
  const std::string db = dir.write("x.db", std::string("SQLite format 3\0rest", 20));
  EXPECT_THROW(write_file_atomically(db, "csv"), OutputRefused);
  EXPECT_EQ(text_of(db).substr(0, 15), "SQLite format 3");
  const std::string wal = dir.write("x.db-wal", "whatever");
  EXPECT_THROW(write_file_atomically(wal, "csv"), OutputRefused);
  write_file_atomically(db, "csv\n", true);
  EXPECT_EQ(text_of(db), "csv\n");
  // A file that merely ends in .db is not a database.
  const std::string plain = dir.write("notes.db", "plain text");
  EXPECT_NO_THROW(write_file_atomically(plain, "csv\n"));
}

TEST(OutputFile, AFullDeviceIsAnErrorNamingIt) {
  try {
    write_file_atomically("/dev/full", std::string(1 << 16, 'x'));
    FAIL() << "expected OutputFileError";
  } catch (const OutputFileError& e) {
    EXPECT_NE(std::string(e.what()).find("/dev/full: write failed: No space left on device"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace eegsweep
