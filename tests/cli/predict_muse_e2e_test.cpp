// `sweep predict` on raw Muse recordings: a model trained on a folder of recordings applied to the
// folder itself and to `sweep featurize`'s table of it gives the same predictions, byte for byte
// (the two paths featurize identically), with one aggregate line per recording.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/muse/muse_fixtures.h"
#include "tests/support/process.h"
#include "tests/support/temp_files.h"

namespace eegsweep {
namespace {

using testing::run_sweep_command;

std::string text_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PredictMuse, TheFolderAndItsFeaturizedTableGiveTheSamePredictions) {
  fixtures::TempDir temp;
  const std::string recordings = temp.file("recordings");
  std::filesystem::create_directories(recordings);
  // 4 subjects × 2 classes, 5.2 s each (8 rows); the classes differ in their rhythms.
  for (int s = 1; s <= 4; ++s) {
    const std::string subject = "s" + std::to_string(s);
    std::ofstream(recordings + "/" + subject + "-calm-1.csv") << testing::muse_csv(5.2, {6, 10, 14, 22});
    std::ofstream(recordings + "/" + subject + "-busy-1.csv") << testing::muse_csv(5.2, {18, 25, 30, 35});
  }
  temp.write("muse.yaml", R"(name: muse
data: {format: muse, path: recordings}
cv: {folds: 2, group_by: recording}
test_split: 0.25
seed: 2
device: cpu
parameters:
  hidden_size: {value: 2}
  timesteps: {value: 1}
  epochs: {value: 2}
)");
  const auto run = run_sweep_command({"run", "muse.yaml"}, temp.path(), "run");
  ASSERT_EQ(run.exit_code, 0) << run.err;

  const auto folder = run_sweep_command({"predict", "--best", "recordings", "-o", "folder.csv"}, temp.path(), "folder");
  ASSERT_EQ(folder.exit_code, 0) << folder.err;
  EXPECT_NE(folder.err.find("64 row(s)"), std::string::npos) << folder.err;  // 8 × 8
  EXPECT_NE(folder.err.find("8 recording(s)"), std::string::npos) << folder.err;

  const auto featurize = run_sweep_command({"featurize", "recordings", "-o", "table.csv"}, temp.path(), "featurize");
  ASSERT_EQ(featurize.exit_code, 0) << featurize.err;
  const auto table = run_sweep_command({"predict", "--best", "table.csv", "-o", "table-predictions.csv"},
                                       temp.path(), "table");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  const std::string a = text_of(temp.file("folder.csv"));
  EXPECT_EQ(a, text_of(temp.file("table-predictions.csv")));
  EXPECT_EQ(a.substr(0, a.find('\n')), "kind,row,recording,label,predicted,p_busy,p_calm");
  std::size_t groups = 0;
  for (std::size_t pos = a.find("\ngroup,,"); pos != std::string::npos; pos = a.find("\ngroup,,", pos + 1)) ++groups;
  EXPECT_EQ(groups, 8u);
  EXPECT_NE(a.find("\ngroup,,s3-busy-1.csv,busy,"), std::string::npos) << a.substr(a.size() - 600);
}

}  // namespace
}  // namespace eegsweep
