// Dataset content hash: FNV-1a over a canonical byte stream.

#include "engine/data/dataset.h"

#include "engine/data/hash.h"

#include <cstdio>
#include <cstring>

namespace eegsweep {

std::string dataset_hash(const Dataset& data) {
  Fnv1a h;
  h.u64(data.rows);
  h.u64(data.features);
  // Floats by their bit patterns (IEEE 754 binary32 everywhere we build), little-endian.
  for (float v : data.x) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    h.u32(bits);
  }
  h.u64(data.y.size());
  for (int label : data.y) h.u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(label)));
  h.u64(data.class_names.size());
  for (const auto& name : data.class_names) h.str(name);
  return hex16(h.value());
}

}  // namespace eegsweep
