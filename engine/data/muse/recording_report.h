#pragma once
// Says what featurizing saw (MuseTable::recordings): recordings shorter than a few windows, and
// recordings split by gaps, with their length and largest gap — the things that silently change
// how many rows, and how independent, a recording contributes.

#include <string>
#include <vector>

#include "engine/data/muse/muse.h"

namespace eegsweep {

// A recording shorter than this many windows is reported as short.
inline constexpr int kShortRecordingWindows = 4;

// Lines (each ending in '\n') for the short and the gapped recordings, or "" when there are none:
//   "3 recording(s) shorter than 4 windows (4 s): a-relaxed-1.csv 2.5 s (3 rows), …"
//   "2 recording(s) with gaps over 0.1 s: b-neutral-1.csv 61.0 s in 3 stretches, largest gap
//    4.20 s, 0.80 s unused, …"
std::string describe_recordings(const std::vector<RecordingReport>& recordings,
                                const MuseOptions& options);

}  // namespace eegsweep
