// SweepSpec::identity_hash: what makes stored results comparable, and nothing else.

#include <gtest/gtest.h>

#include <set>

#include "engine/spec/sweep_spec.h"

namespace eegsweep {
namespace {

const char* base = R"(name: ident
description: first
method: grid
parameters:
  hidden_size: {values: [16, 32]}
data:
  format: synthetic
  synthetic: {rows: 100}
seed: 3
)";

std::string hash_with(const std::vector<std::string>& overrides) {
  return parse_sweep(base, "s.yaml", overrides).identity_hash();
}

TEST(IdentityHash, StableHex) {
  const std::string h = hash_with({});
  EXPECT_EQ(h.size(), 16u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(h, hash_with({}));
}

TEST(IdentityHash, IgnoresParametersAndRunSettings) {
  const std::string h = hash_with({});
  EXPECT_EQ(h, hash_with({"parameters.hidden_size.values=[64]"}));
  EXPECT_EQ(h, hash_with({"parameters.epochs.value=2"}));
  EXPECT_EQ(h, hash_with({"run_cap=1"}));
  EXPECT_EQ(h, hash_with({"description=second"}));
  EXPECT_EQ(h, hash_with({"name=other"}));
  EXPECT_EQ(h, hash_with({"device=cpu"}));
  EXPECT_EQ(h, hash_with({"resources.max_concurrent=2"}));
  EXPECT_EQ(h, hash_with({"results=elsewhere.db"}));
  EXPECT_EQ(h, hash_with({"metric.name=val_accuracy"}));  // the same metric as the default
}

TEST(IdentityHash, ChangesWithDataSplitsSeedAndMetric) {
  const std::string h = hash_with({});
  const std::vector<std::vector<std::string>> changes = {
      {"seed=4"},
      {"cv.folds=3"},
      {"cv.stratified=false"},
      {"test_split=0.1"},
      {"preprocess.standardize=false"},
      {"metric.name=f1_macro"},
      {"metric={name: accuracy, goal: minimize}"},
      {"data.synthetic.rows=101"},
      {"data.synthetic.seed=2"},
      {"data.synthetic.noise=0.5"},
      {"data.synthetic.groups=4", "cv.group_by=recording"},
      {"data={format: csv, path: /tmp/a.csv}"},
  };
  std::set<std::string> seen = {h};
  for (const auto& change : changes) {
    const std::string changed = hash_with(change);
    EXPECT_NE(changed, h) << change.front();
    EXPECT_TRUE(seen.insert(changed).second) << "collision for " << change.front();
  }
  EXPECT_NE(hash_with({"data={format: csv, path: /tmp/a.csv}"}),
            hash_with({"data={format: csv, path: /tmp/b.csv}"}));
  EXPECT_NE(hash_with({"data={format: csv, path: /tmp/a.csv}"}),
            hash_with({"data={format: csv, path: /tmp/a.csv, label: y}"}));
}

}  // namespace
}  // namespace eegsweep
