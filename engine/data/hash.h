#pragma once
// 64-bit FNV-1a, the one content hash of the engine (dataset, weights, parameter and identity
// hashes, string keys of random streams). No crypto is needed: a hash only has to say "same or
// not", stably across runs, platforms and builds, because hashes are stored with the results.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace eegsweep {

class Fnv1a {
 public:
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      h_ ^= p[i];
      h_ *= 0x100000001B3ULL;
    }
  }
  // Integers as fixed-width little-endian, so the hash does not depend on the host's byte order.
  void u64(std::uint64_t v) { little_endian(v, 8); }
  void u32(std::uint32_t v) { little_endian(v, 4); }
  // Length-prefixed, so ("ab","c") and ("a","bc") hash differently.
  void str(std::string_view s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  std::uint64_t value() const { return h_; }

 private:
  void little_endian(std::uint64_t v, int width) {
    unsigned char b[8];
    for (int i = 0; i < width; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    bytes(b, static_cast<std::size_t>(width));
  }
  std::uint64_t h_ = 0xCBF29CE484222325ULL;
};

// FNV-1a of the text's bytes alone (no length prefix).
inline std::uint64_t fnv1a(std::string_view text) {
  Fnv1a h;
  h.bytes(text.data(), text.size());
  return h.value();
}

// 16 lowercase hex digits: how hashes are stored.
inline std::string hex16(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace eegsweep
