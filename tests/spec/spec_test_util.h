#pragma once
// Helpers shared by the spec tests: temporary files and "this text fails with that message".

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/spec/sweep_spec.h"

namespace eegsweep::test {

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("eegsweep_spec_" + std::string(info->test_suite_name()) + "_" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string write(const std::string& relative, const std::string& text) const {
    const auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

// The message of the SpecError that parsing `text` (as "sweep.yaml") throws; fails the test when
// nothing is thrown.
inline std::string spec_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    parse_sweep(text, "sweep.yaml", overrides);
  } catch (const SpecError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a SpecError for:\n" << text;
  return "";
}

// A valid synthetic-data sweep head; tests append `parameters:` etc.
inline const char* minimal_head() {
  return "name: t\n"
         "data:\n"
         "  format: synthetic\n";
}

}  // namespace eegsweep::test
