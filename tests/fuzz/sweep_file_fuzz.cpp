// libFuzzer harness: the sweep-file reader (YAML → SweepSpec). Any input must end in a SweepSpec
// or a SpecError/DataError — never a crash, a leak, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/data/dataset.h"
#include "engine/spec/sweep_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    eegsweep::parse_sweep(text, "fuzz.yaml");
  } catch (const eegsweep::SpecError&) {
  } catch (const eegsweep::DataError&) {
  }
  return 0;
}
