#pragma once
// Runs a callable that must throw DataError and checks that the message names what it should.

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "engine/data/dataset.h"

namespace eegsweep::fixtures {

template <typename F>
std::string data_error_of(F&& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a DataError, none was thrown";
  return {};
}

inline ::testing::AssertionResult mentions(const std::string& message,
                                           std::initializer_list<std::string> parts) {
  for (const auto& part : parts) {
    if (message.find(part) == std::string::npos) {
      return ::testing::AssertionFailure() << "message \"" << message << "\" lacks \"" << part
                                           << "\"";
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace eegsweep::fixtures
