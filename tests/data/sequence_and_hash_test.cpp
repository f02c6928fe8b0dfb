#include <gtest/gtest.h>

#include <cctype>

#include "engine/data/dataset.h"
#include "engine/data/sequence.h"
#include "tests/data/error_matchers.h"

namespace eegsweep {
namespace {

using fixtures::data_error_of;
using fixtures::mentions;

TEST(SequenceShape, DividesFeatures) {
  const SequenceShape classic = sequence_shape(2548, 2548);
  EXPECT_EQ(classic.timesteps, 2548);
  EXPECT_EQ(classic.inputs, 1);
  const SequenceShape s = sequence_shape(64, 16);
  EXPECT_EQ(s.timesteps, 16);
  EXPECT_EQ(s.inputs, 4);
  EXPECT_EQ(sequence_shape(64, 1).inputs, 64);
}

TEST(SequenceShape, Errors) {
  EXPECT_TRUE(mentions(data_error_of([] { sequence_shape(2548, 100); }), {"100", "2548"}));
  EXPECT_TRUE(mentions(data_error_of([] { sequence_shape(64, 0); }), {"0", "positive"}));
  EXPECT_TRUE(mentions(data_error_of([] { sequence_shape(64, -4); }), {"-4"}));
  EXPECT_TRUE(mentions(data_error_of([] { sequence_shape(64, 128); }), {"128", "64"}));
}

Dataset small() {
  Dataset d;
  d.rows = 2;
  d.features = 2;
  d.x = {1.0f, 2.0f, 3.0f, 4.0f};
  d.y = {0, 1};
  d.class_names = {"a", "b"};
  d.feature_names = {"p", "q"};
  return d;
}

TEST(DatasetHash, StableHexAndSensitive) {
  const Dataset base = small();
  const std::string h = dataset_hash(base);
  EXPECT_EQ(h.size(), 16u);
  for (char c : h) EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(c))) << h;
  EXPECT_EQ(dataset_hash(small()), h);

  Dataset d = small();
  d.x[3] = 4.0000005f;
  EXPECT_NE(dataset_hash(d), h);
  d = small();
  d.y = {1, 0};
  EXPECT_NE(dataset_hash(d), h);
  d = small();
  d.class_names = {"a", "c"};
  EXPECT_NE(dataset_hash(d), h);
  d = small();
  d.class_names = {"ab", ""};  // same bytes, other split
  EXPECT_NE(dataset_hash(d), h);
  d = small();
  d.rows = 1;
  d.features = 4;
  d.y = {0};
  EXPECT_NE(dataset_hash(d), h);
  // Names and source are metadata, not content.
  d = small();
  d.feature_names = {"x", "y"};
  d.source = "elsewhere.csv";
  EXPECT_EQ(dataset_hash(d), h);
}

}  // namespace
}  // namespace eegsweep
