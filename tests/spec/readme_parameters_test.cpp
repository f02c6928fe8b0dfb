// The README's parameter reference is the parameter table's own output, so it cannot drift.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/spec/parameters.h"

namespace eegsweep {
namespace {

TEST(ReadmeParameters, MatchTheParameterTable) {
  std::ifstream in(std::string(EEGSWEEP_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const auto begin = readme.find("<!-- parameters:begin");
  const auto end = readme.find("<!-- parameters:end -->");
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const auto table_start = readme.find('\n', begin) + 1;
  EXPECT_EQ(readme.substr(table_start, end - table_start), parameter_table_markdown())
      << "update README.md's table between the parameters markers with parameter_table_markdown()";
}

}  // namespace
}  // namespace eegsweep
