#include "engine/data/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "engine/data/dataset.h"

namespace eegsweep {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a directory";
  return "not a regular file";
}

// Exact, so that "it is 1048577 bytes; at most 1048576" never reads as "1 MiB; at most 1 MiB".
std::string byte_count(std::uint64_t n) {
  std::string text = std::to_string(n) + " bytes";
  if (n >= (1u << 20) && n % (1u << 20) == 0) text += " (" + std::to_string(n >> 20) + " MiB)";
  return text;
}

// Closes the descriptor on every path out of read_regular_file.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string read_regular_file(const std::string& path, const std::string& what,
                              std::uint64_t max_bytes) {
  auto fail = [&](const std::string& reason) -> void {
    throw DataError(path + ": cannot read the " + what + ": " + reason);
  };
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer before fstat can
  // tell what it is. It changes nothing for a regular file.
  Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) {
    const int error = errno;
    fail(error == ENOENT ? std::string("no such file") : std::strerror(error));
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) fail(std::strerror(errno));
  if (!S_ISREG(info.st_mode)) {
    fail("it is " + kind_of(info.st_mode) + (S_ISDIR(info.st_mode) ? "" : ", not a regular file"));
  }
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > max_bytes) {
    fail("it is " + byte_count(size) + "; a " + what + " may be at most " + byte_count(max_bytes));
  }
  std::string text;
  text.reserve(static_cast<std::size_t>(size));
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = ::read(file.fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      fail(std::strerror(errno));
    }
    if (n == 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
    // A file that grows while it is read is held to the same limit.
    if (text.size() > max_bytes) {
      fail("it grew past " + byte_count(max_bytes) + " while being read");
    }
  }
  return text;
}

std::string special_file_kind(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {};
  if (S_ISREG(info.st_mode) || S_ISDIR(info.st_mode)) return {};
  return kind_of(info.st_mode);
}

}  // namespace eegsweep
