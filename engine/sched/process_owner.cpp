#include "engine/sched/process_owner.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace eegsweep {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

std::optional<long long> parse_number(const std::string& text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Field 22 of /proc/<pid>/stat; nullopt when there is no such process (or no /proc). The second
// field, the command name in parentheses, may itself contain spaces and ')', so the fields are
// counted from after the last ')'.
std::optional<long long> process_start_ticks(long long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 1));
  std::string field;
  for (int number = 3; fields >> field; ++number) {
    if (number == 22) return parse_number(field);
  }
  return std::nullopt;
}

std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  if (!in || !std::getline(in, id) || id.empty()) return "unknown-boot";
  return id;
}

bool pid_exists(long long pid) {
  if (pid <= 0 || pid > 0x3fffffff) return false;
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

std::string host_name() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof(buffer) - 1) != 0) return "unknown-host";
  return buffer;
}

std::string this_process_owner() {
  const long long pid = getpid();
  const std::optional<long long> start = process_start_ticks(pid);
  return host_name() + ":" + std::to_string(pid) + ":" + (start ? std::to_string(*start) : "0") +
         ":" + boot_id();
}

bool owner_is_alive(const std::string& owner) {
  const std::vector<std::string> parts = split(owner, ':');
  if (parts.size() != 2 && parts.size() != 4) return false;
  if (parts[0] != host_name()) return true;
  const std::optional<long long> pid = parse_number(parts[1]);
  if (!pid || !pid_exists(*pid)) return false;
  if (parts.size() == 2) return true;  // "host:pid": the pid is all there is to check

  if (parts[3] != boot_id()) return false;  // written before this host last booted
  const std::optional<long long> recorded_start = parse_number(parts[2]);
  const std::optional<long long> start = process_start_ticks(*pid);
  // Without /proc (start unknown on both sides, recorded as 0) the pid is all there is to check.
  if (!start) return recorded_start == 0;
  return recorded_start == start;
}

}  // namespace eegsweep
