// Dataset content hash: FNV-1a over a canonical byte stream. No crypto needed — the hash only
// has to tell the results store "same table or not", stably across runs and machines.

#include "engine/data/dataset.h"

#include <cstdio>
#include <cstring>

namespace eegsweep {
namespace {

class Fnv1a64 {
 public:
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      h_ ^= p[i];
      h_ *= 0x100000001B3ULL;
    }
  }
  // Integers are fed as fixed-width little-endian so the hash does not depend on the host's
  // size_t or byte order.
  void u64(std::uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    bytes(b, 8);
  }
  // Length-prefixed, so ("ab","c") and ("a","bc") hash differently.
  void str(const std::string& s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 0xCBF29CE484222325ULL;
};

}  // namespace

std::string dataset_hash(const Dataset& data) {
  Fnv1a64 h;
  h.u64(data.rows);
  h.u64(data.features);
  // Floats by their bit patterns (IEEE 754 binary32 everywhere we build), little-endian.
  for (float v : data.x) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    unsigned char b[4] = {static_cast<unsigned char>(bits), static_cast<unsigned char>(bits >> 8),
                          static_cast<unsigned char>(bits >> 16),
                          static_cast<unsigned char>(bits >> 24)};
    h.bytes(b, 4);
  }
  h.u64(data.y.size());
  for (int label : data.y) h.u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(label)));
  h.u64(data.class_names.size());
  for (const auto& name : data.class_names) h.str(name);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h.value()));
  return hex;
}

}  // namespace eegsweep
