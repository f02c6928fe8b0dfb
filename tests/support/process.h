#pragma once
// Runs the built `sweep` binary as a child process (the way a user does) and captures its output.

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace eegsweep::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out, err;
  long max_rss_kb = 0;  // the child's peak resident memory
};

// How a child differs from a plain run: where its standard output goes, a file-size limit (a disk
// that fills up: writes past it fail with EFBIG), or another user (files it may not write).
struct ChildOptions {
  std::string stdout_path;       // default: <cwd>/<tag>.out
  long long max_file_bytes = -1;  // RLIMIT_FSIZE; -1: unlimited
  int run_as_uid = -1;           // setuid (and setgid) to this id before exec
};

class Child {
 public:
  // Starts `sweep args…` in `cwd`, stdout/stderr to files in that directory.
  Child(const std::vector<std::string>& args, const std::string& cwd, const std::string& tag,
        const ChildOptions& options = {})
      : out_path_(options.stdout_path.empty() ? cwd + "/" + tag + ".out" : options.stdout_path),
        err_path_(cwd + "/" + tag + ".err") {
    pid_ = fork();
    if (pid_ == 0) {
      if (chdir(cwd.c_str()) != 0) _exit(126);
      if (options.max_file_bytes >= 0) {
        // The process would die of SIGXFSZ instead of seeing the write fail; ignoring it is what
        // makes a write past the limit return EFBIG, as a full disk returns ENOSPC.
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{static_cast<rlim_t>(options.max_file_bytes),
                           static_cast<rlim_t>(options.max_file_bytes)};
        if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(125);
      }
      const int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out, 1);
      dup2(err, 2);
      if (options.run_as_uid >= 0) {
        if (setgroups(0, nullptr) != 0 || setgid(options.run_as_uid) != 0 ||
            setuid(options.run_as_uid) != 0) {
          _exit(124);
        }
      }
      std::vector<char*> argv;
      std::string binary = EEGSWEEP_SWEEP_BINARY;
      argv.push_back(binary.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
  }
  void signal(int sig) { kill(pid_, sig); }
  ProcessResult wait() {
    int status = 0;
    struct rusage usage {};
    wait4(pid_, &status, 0, &usage);
    ProcessResult r;
    r.max_rss_kb = usage.ru_maxrss;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = out_path_.rfind("/dev/", 0) == 0 ? std::string() : slurp(out_path_);
    r.err = slurp(err_path_);
    return r;
  }
  static std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  pid_t pid_ = -1;
  std::string out_path_, err_path_;
};

inline ProcessResult run_sweep_command(const std::vector<std::string>& args, const std::string& cwd,
                                       const std::string& tag = "cmd", const ChildOptions& options = {}) {
  Child child(args, cwd, tag, options);
  return child.wait();
}

}  // namespace eegsweep::testing
