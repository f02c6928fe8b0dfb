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
  for (const auto& p : table) text += "  " + p.name + ": {value: " + p.default_text() + "}\n";
  EXPECT_NO_THROW(parse_sweep(text, "d.yaml"));
}

// Each declaration sets a field of its own: two declarations naming one field would let one
// parameter silently overwrite another.
TEST(ParameterTable, EveryDeclarationSetsItsOwnField) {
  const auto& table = parameter_table();
  for (std::size_t i = 0; i < table.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) EXPECT_NE(table[i].field, table[j].field) << table[i].name;
}

// Stored JSON → TrialParams: every value lands in its field; a parameter an older build did not
// store takes its default; an unknown one is an error.
TEST(ParameterTable, StoredJsonBackToTypedParameters) {
  const TrialParams p = trial_params_from_json(
      R"({"batch_size": 7, "dropout": 0.25, "head": "mean", "hidden_size": 9, "learning_rate": 0.5,
          "num_layers": 3, "patience": 2, "precision": "tf32", "timesteps": 4, "weight_decay": 0.125})");
  EXPECT_EQ(p.batch_size, 7);
  EXPECT_EQ(p.dropout, 0.25);
  EXPECT_EQ(p.epochs, 20) << "missing: the declared default";
  EXPECT_EQ(p.head, "mean");
  EXPECT_EQ(p.hidden_size, 9);
  EXPECT_EQ(p.learning_rate, 0.5);
  EXPECT_EQ(p.num_layers, 3);
  EXPECT_EQ(p.patience, 2);
  EXPECT_EQ(p.precision, "tf32");
  EXPECT_EQ(p.timesteps, 4);
  EXPECT_EQ(p.weight_decay, 0.125);
  EXPECT_THROW(trial_params_from_json(R"({"hiden_size": 3})"), std::runtime_error);
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
