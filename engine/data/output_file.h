#pragma once
// Writing the files a verb produces (export, featurize): completely or not at all, never over a
// database. Every verb that writes a file goes through AtomicOutputFile, so that a full disk, a
// crash or a kill -9 half-way leaves the old file (or no file) and never a truncated one.

#include <stdexcept>
#include <string>
#include <string_view>

namespace eegsweep {

// A write, flush, close or rename failed (full disk, I/O error, …). The message names the file.
// The CLI exits 74 (EX_IOERR).
class OutputFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The output path would overwrite something that must not be overwritten by accident (a SQLite
// database, e.g. the results database being exported). The CLI exits 64: the command line is at
// fault, and --force says the user means it.
class OutputRefused : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Throws OutputRefused, unless `force`, when `path` is an existing SQLite database or one of its
// -wal, -shm or -journal files.
void check_output_path(const std::string& path, bool force);

// The text goes to a temporary file beside `path` (same directory, so the rename cannot cross
// file systems), which replaces `path` in one rename once every write, the flush, fsync and close
// succeeded. On failure, or when destroyed uncommitted, the temporary file is removed and `path`
// is untouched. A path that exists and is not a regular file (/dev/stdout, /dev/null, a FIFO) is
// written in place, with the same checks.
class AtomicOutputFile {
 public:
  // Checks the path (check_output_path) and creates the temporary file.
  explicit AtomicOutputFile(std::string path, bool force = false);
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  void write(std::string_view text);
  // Flushes, syncs, closes and renames into place. Throws OutputFileError.
  void commit();

  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(const std::string& action, int error);
  void discard() noexcept;

  std::string path_;
  std::string temporary_;  // empty when writing in place
  int fd_ = -1;
  bool committed_ = false;
};

// AtomicOutputFile in one call.
void write_file_atomically(const std::string& path, std::string_view text, bool force = false);

}  // namespace eegsweep
