// The declarative parameter table: consistent, and the source of help and README text.

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/spec/parameters.h"
#include "engine/spec/sweep_spec.h"

namespace eegsweep {
namespace {

TEST(ParameterTable, SortedUniqueAndEveryDefaultIsAValidValue) {
  const auto& table = parameter_table();
  ASSERT_EQ(table.size(), 11u);  // the TrialParams fields
  for (std::size_t i = 1; i < table.size(); ++i) EXPECT_LT(table[i - 1].name, table[i].name);
  // Writing each default explicitly in a sweep file must validate.
  std::string text = "name: d\ndata: {format: synthetic}\nparameters:\n";
  for (const auto& p : table) text += "  " + p.name + ": {value: " + p.default_value + "}\n";
  EXPECT_NO_THROW(parse_sweep(text, "d.yaml"));
}

TEST(ParameterTable, FindsByName) {
  ASSERT_NE(find_parameter("learning_rate"), nullptr);
  EXPECT_EQ(find_parameter("learning_rate")->type, "float");
  EXPECT_EQ(find_parameter("head")->choices, (std::vector<std::string>{"last", "flatten", "mean"}));
  EXPECT_EQ(find_parameter("hidden_size")->max, 4096);
  EXPECT_EQ(find_parameter("learning_rat"), nullptr);
}

TEST(ParameterTable, TextAndMarkdownListEveryParameter) {
  const std::string text = parameter_table_text();
  const std::string markdown = parameter_table_markdown();
  EXPECT_EQ(markdown.rfind("| parameter |", 0), 0u);
  // Header, separator, then one row per parameter.
  EXPECT_EQ(static_cast<std::size_t>(std::count(markdown.begin(), markdown.end(), '\n')),
            parameter_table().size() + 2);
  for (const auto& p : parameter_table()) {
    EXPECT_NE(text.find(p.name), std::string::npos) << p.name;
    EXPECT_NE(markdown.find("`" + p.name + "`"), std::string::npos) << p.name;
    EXPECT_NE(text.find(p.help), std::string::npos) << p.name;
  }
  EXPECT_NE(text.find("last | flatten | mean"), std::string::npos);
  EXPECT_NE(text.find("0 .. 1000000"), std::string::npos);  // int bounds printed as integers
  // Every markdown row has exactly its six cell borders: choices must not add a "|".
  std::size_t start = 0;
  while (start < markdown.size()) {
    const std::size_t end = markdown.find('\n', start);
    const std::string row = markdown.substr(start, end - start);
    EXPECT_EQ(std::count(row.begin(), row.end(), '|'), 6) << row;
    start = end + 1;
  }
  EXPECT_NE(text.find("1 .. 4096"), std::string::npos);
}

}  // namespace
}  // namespace eegsweep
