#pragma once
// Reading the files a user points us at (sweep files, CSV tables, Muse recordings). Only regular
// files are read: a FIFO would block forever waiting for a writer and /dev/zero never ends, so
// both are refused before the first byte is read; a size limit bounds what is read at all.

#include <cstdint>
#include <string>

namespace eegsweep {

// Unlimited in practice: a regular file's size is already known and finite.
constexpr std::uint64_t kNoSizeLimit = UINT64_MAX;

// The whole file. Throws DataError "PATH: cannot read the WHAT: REASON" when the path is missing,
// unreadable, a directory, not a regular file (FIFO, device, socket), or larger than max_bytes.
std::string read_regular_file(const std::string& path, const std::string& what,
                              std::uint64_t max_bytes = kNoSizeLimit);

// "a FIFO", "a character device", … for a path that exists and is not a regular file or a
// directory; empty otherwise. For messages about paths that are listed rather than read.
std::string special_file_kind(const std::string& path);

}  // namespace eegsweep
