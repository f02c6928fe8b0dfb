// The README's key and parameter references are the declarations' own output, so they cannot
// drift from what the sweep reader accepts.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/spec/parameters.h"
#include "engine/spec/sweep_keys.h"

namespace eegsweep {
namespace {

// The text between <!-- NAME:begin … --> and <!-- NAME:end --> in README.md.
std::string readme_block(const std::string& name) {
  std::ifstream in(std::string(EEGSWEEP_SOURCE_DIR) + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const auto begin = readme.find("<!-- " + name + ":begin");
  const auto end = readme.find("<!-- " + name + ":end -->");
  if (begin == std::string::npos || end == std::string::npos) return "(no " + name + " block in README.md)";
  const auto table_start = readme.find('\n', begin) + 1;
  return readme.substr(table_start, end - table_start);
}

TEST(ReadmeParameters, MatchTheParameterTable) {
  EXPECT_EQ(readme_block("parameters"), parameter_table_markdown())
      << "update README.md's table between the parameters markers with parameter_table_markdown()";
}

TEST(ReadmeParameters, MatchTheKeyDeclarations) {
  EXPECT_EQ(readme_block("keys"), sweep_keys_markdown())
      << "update README.md's table between the keys markers with sweep_keys_markdown()";
}

}  // namespace
}  // namespace eegsweep
