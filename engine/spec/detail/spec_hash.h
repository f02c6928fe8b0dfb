#pragma once
// Private to engine/spec: the stable text hash behind identity_hash() and Trial::params_hash.

#include <string>

namespace eegsweep::spec_detail {

// 64-bit FNV-1a, finished with a SplitMix64 mix so that similar texts differ in every digit;
// 16 lowercase hex digits. Stable across platforms and runs: it is stored in the results.
std::string stable_hash(const std::string& text);

}  // namespace eegsweep::spec_detail
