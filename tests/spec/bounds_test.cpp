// A sweep document is bounded: bytes on disk, nodes after alias expansion, nesting depth, one
// document, UTF-8 text. Each limit fails fast with file:line:col and says which limit it is.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>

#include "engine/spec/sweep_spec.h"
#include "spec_test_util.h"

namespace eegsweep {
namespace {

using test::minimal_head;
using test::spec_error;
using test::TempDir;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The classic "billion laughs": 9 levels of 9 aliases each would expand to 9^9 ≈ 387 million
// scalars. The YAML graph itself is tiny; the expansion is what must be bounded.
TEST(SweepBounds, AliasExpansionIsBounded) {
  std::string text = std::string(minimal_head()) + "description: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  std::string previous = "a";
  for (char level = 'b'; level <= 'i'; ++level) {
    text += std::string("x") + level + ": &" + level + " [";
    for (int k = 0; k < 9; ++k) text += (k ? ", *" : "*") + previous;
    text += "]\n";
    previous = std::string(1, level);
  }
  const std::string message = spec_error(text);
  EXPECT_TRUE(contains(message, "sweep.yaml:")) << message;
  EXPECT_TRUE(contains(message, "more than " + std::to_string(kMaxSweepNodes) + " nodes")) << message;
}

// Nesting just past the limit is caught while converting; far past it, yaml-cpp's own guard
// stops first (it said only "bad file"). Both say what is wrong.
TEST(SweepBounds, NestingDeeperThanTheLimitSaysSoAtEveryDepth) {
  for (int depth : {kMaxSweepDepth + 1, 500, 5000}) {
    const std::string text = std::string(minimal_head()) + "description: " + std::string(depth, '[') +
                             std::string(depth, ']') + "\n";
    const std::string message = spec_error(text);
    EXPECT_TRUE(contains(message, "sweep.yaml:4:")) << depth << ": " << message;
    EXPECT_TRUE(contains(message, "nests deeper than " + std::to_string(kMaxSweepDepth) + " levels"))
        << depth << ": " << message;
  }
  const std::string fits = std::string(minimal_head()) + "description: " +
                           std::string(kMaxSweepDepth - 2, '[') + std::string(kMaxSweepDepth - 2, ']') + "\n";
  EXPECT_TRUE(contains(spec_error(fits), "expected text")) << "depth within the limit parses";
}

TEST(SweepBounds, InvalidUtf8IsRejectedWithItsPosition) {
  // 0xE9 is Latin-1 'é': line 4, after "description: caf" (16 characters); the head's three lines
  // are 8 + 6 + 20 bytes, so byte offset 34 + 16 = 50.
  const std::string latin1 = std::string(minimal_head()) + "description: caf\xE9\n";
  const std::string message = spec_error(latin1);
  EXPECT_TRUE(contains(message, "sweep.yaml:4:17: invalid UTF-8 (byte 0xE9 at offset 50)")) << message;
  // Columns count characters: "é" in UTF-8 is two bytes but one column.
  const std::string after_utf8 = std::string(minimal_head()) + "description: \xC3\xA9\xC0\xAF\n";
  EXPECT_TRUE(contains(spec_error(after_utf8), "sweep.yaml:4:15:")) << spec_error(after_utf8);
  // Overlong encoding of '/', a UTF-16 surrogate, beyond U+10FFFF, a truncated sequence.
  for (const std::string bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"}) {
    EXPECT_TRUE(contains(spec_error(std::string(minimal_head()) + "description: " + bad + "\n"),
                         "invalid UTF-8"));
  }
  // Valid multi-byte text passes the check.
  const SweepSpec spec = parse_sweep(std::string(minimal_head()) + "description: caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\n",
                                     "sweep.yaml");
  EXPECT_EQ(spec.description, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(SweepBounds, ASecondDocumentIsAnError) {
  const std::string message = spec_error(std::string(minimal_head()) + "---\nname: other\n");
  EXPECT_TRUE(contains(message, "sweep.yaml:4:")) << message;
  EXPECT_TRUE(contains(message, "second YAML document")) << message;
  const std::string empty_second = spec_error(std::string(minimal_head()) + "---\n");
  EXPECT_TRUE(contains(empty_second, "sweep.yaml:4:1: ")) << empty_second;
  // A leading '---' only starts the one document.
  EXPECT_NO_THROW(parse_sweep(std::string("---\n") + minimal_head(), "sweep.yaml"));
}

// Found by fuzzing: on ",e" yaml-cpp 0.7 yields empty documents forever when asked for all of
// them. A stray document end ("...") is still one document.
TEST(SweepBounds, TextThatYamlCppReadsAsEndlessDocumentsIsASyntaxError) {
  const std::string message = spec_error(",e");
  EXPECT_TRUE(contains(message, "sweep.yaml:1:")) << message;
  EXPECT_TRUE(contains(message, "YAML syntax error")) << message;
  EXPECT_NO_THROW(parse_sweep(std::string(minimal_head()) + "...\n", "sweep.yaml"));
}

TEST(SweepBounds, OversizedAndSpecialFilesAreRefusedBeforeReading) {
  TempDir dir;
  const std::string big = dir.write("big.yaml", std::string(minimal_head()) + "#" +
                                                    std::string(kMaxSweepFileBytes, 'x') + "\n");
  try {
    load_sweep_file(big);
    FAIL() << "expected SpecError";
  } catch (const SpecError& e) {
    EXPECT_TRUE(contains(e.what(), "at most 1048576 bytes")) << e.what();
  }
  const std::string fifo = (dir.path() / "fifo.yaml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  // Opening a FIFO for reading would wait for a writer forever; this returns at once.
  try {
    load_sweep_file(fifo);
    FAIL() << "expected SpecError";
  } catch (const SpecError& e) {
    EXPECT_TRUE(contains(e.what(), "FIFO")) << e.what();
  }
  try {
    load_sweep_file("/dev/zero");
    FAIL() << "expected SpecError";
  } catch (const SpecError& e) {
    EXPECT_TRUE(contains(e.what(), "character device")) << e.what();
  }
}

}  // namespace
}  // namespace eegsweep
