// libFuzzer harness: the raw Muse recording reader, then the sampling-rate estimate and the gap
// split that every recording goes through next.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/data/dataset.h"
#include "engine/data/muse/muse_recording.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const eegsweep::MuseRecording r =
        eegsweep::parse_muse_csv(text, "fuzz.csv", {"TP9", "AF7", "AF8", "TP10"});
    eegsweep::estimate_sampling_rate(r.t);
    eegsweep::split_at_gaps(r.t, 1.0);
  } catch (const eegsweep::DataError&) {
  }
  return 0;
}
