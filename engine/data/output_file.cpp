#include "engine/data/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

namespace eegsweep {
namespace {

namespace fs = std::filesystem;

bool starts_with_bytes(const std::string& path, const void* magic, std::size_t length) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  std::vector<unsigned char> head(length);
  const bool match = std::fread(head.data(), 1, length, f) == length &&
                     std::memcmp(head.data(), magic, length) == 0;
  std::fclose(f);
  return match;
}

bool is_regular(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool is_sqlite_database(const std::string& path) {
  static const char kHeader[] = "SQLite format 3";  // 16 bytes with its NUL, as SQLite writes it
  return is_regular(path) && starts_with_bytes(path, kHeader, sizeof kHeader);
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

void check_output_path(const std::string& path, bool force) {
  if (force) return;
  const std::string advice = "; refusing to overwrite it (choose another output file, or add --force)";
  if (is_sqlite_database(path)) {
    throw OutputRefused(path + ": is a SQLite database" + advice);
  }
  // A database's companion files: overwriting them corrupts the database itself.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    if (!ends_with(path, suffix)) continue;
    const std::string database = path.substr(0, path.size() - std::strlen(suffix));
    if (fs::exists(path) && is_sqlite_database(database)) {
      throw OutputRefused(path + ": is the " + std::string(suffix + 1) + " file of the SQLite database " +
                          database + advice);
    }
  }
}

AtomicOutputFile::AtomicOutputFile(std::string path, bool force) : path_(std::move(path)) {
  if (path_.empty()) throw OutputRefused("no output file name given");
  check_output_path(path_, force);
  struct stat info {};
  const bool exists = ::stat(path_.c_str(), &info) == 0;
  if (exists && S_ISDIR(info.st_mode)) {
    throw OutputRefused(path_ + ": is a directory; give a file name to write");
  }
  if (exists && !S_ISREG(info.st_mode)) {
    // /dev/stdout, /dev/null, a FIFO: nothing to replace, and no temporary file beside it.
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd_ < 0) fail("cannot open for writing", errno);
    return;
  }
  fs::path target(path_);
  const fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string pattern = (directory / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0) {
    const int error = errno;
    fail("cannot create a temporary file in " + directory.string(), error);
  }
  temporary_ = name.data();
  // mkostemp creates 0600; an output file gets the usual permissions (0666 less the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
}

AtomicOutputFile::~AtomicOutputFile() {
  if (!committed_) discard();
}

void AtomicOutputFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
  temporary_.clear();
}

void AtomicOutputFile::fail(const std::string& action, int error) {
  const bool replacing = !temporary_.empty();
  discard();
  throw OutputFileError(path_ + ": " + action + ": " + std::strerror(error) +
                        (replacing ? " (the file was left as it was)" : ""));
}

void AtomicOutputFile::write(std::string_view text) {
  if (fd_ < 0) throw OutputFileError(path_ + ": write after the file was closed");
  while (!text.empty()) {
    const ssize_t n = ::write(fd_, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void AtomicOutputFile::commit() {
  if (fd_ < 0) throw OutputFileError(path_ + ": commit after the file was closed");
  if (temporary_.empty()) {
    // In place: there is nothing to sync or rename, but close can still report an error.
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close failed", errno);
    committed_ = true;
    return;
  }
  // fsync before rename: on a crash the new name must never point at a file whose blocks were
  // not written yet. Delayed-allocation file systems also report a full disk only here.
  if (::fsync(fd_) != 0) fail("write failed", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("close failed", errno);
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) fail("cannot rename into place", errno);
  temporary_.clear();
  committed_ = true;
}

void write_file_atomically(const std::string& path, std::string_view text, bool force) {
  AtomicOutputFile file(path, force);
  file.write(text);
  file.commit();
}

}  // namespace eegsweep
