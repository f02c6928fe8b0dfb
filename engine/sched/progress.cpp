#include "engine/sched/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace eegsweep {

std::string format_duration(double seconds) {
  const long total = static_cast<long>(seconds + 0.5);
  const long h = total / 3600, m = (total / 60) % 60, s = total % 60;
  return h > 0 ? fmt::format("{}:{:02}:{:02}", h, m, s) : fmt::format("{}:{:02}", m, s);
}

Progress::Progress(int trials_total, int folds_total, bool interactive)
    : trials_total_(trials_total), folds_total_(folds_total), interactive_(interactive) {}

bool Progress::stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

void Progress::set_done(int trials_done, int folds_done) {
  trials_done_ = trials_done;
  folds_done_ = folds_done;
  redraw();
}

std::string Progress::status_line() const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = fmt::format("trials {}/{} · folds {}/{}", trials_done_, trials_total_,
                                 folds_done_, folds_total_);
  if (best_trial_) line += fmt::format(" · best #{} {:.4f}", *best_trial_, best_value_);
  line += " · " + format_duration(elapsed) + " elapsed";
  const int remaining = folds_total_ - folds_done_;
  if (folds_done_here_ > 0 && remaining > 0) {
    line += " · ETA " + format_duration(elapsed / folds_done_here_ * remaining);
  }
  return line;
}

void Progress::redraw() {
  if (!interactive_) return;
  std::fprintf(stderr, "\r\033[K%s", status_line().c_str());
  std::fflush(stderr);
}

void Progress::log(const std::string& message) {
  if (interactive_) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, "%s\n", message.c_str());
  redraw();
}

void Progress::fold_finished(int trial_number, int fold, double value, double seconds) {
  ++folds_done_;
  ++folds_done_here_;
  if (!interactive_) {
    log(fmt::format("trial {} fold {}: {:.4f} in {:.1f}s [{}]", trial_number, fold + 1, value,
                    seconds, status_line()));
  } else {
    redraw();
  }
}

void Progress::trial_finished(int trial_number, const std::string& status,
                              std::optional<double> cv_mean) {
  ++trials_done_;
  if (cv_mean) {
    log(fmt::format("trial {} {}: cv {:.4f}", trial_number, status, *cv_mean));
  } else {
    log(fmt::format("trial {} {}", trial_number, status));
  }
}

void Progress::set_best(int trial_number, double cv_mean) {
  best_trial_ = trial_number;
  best_value_ = cv_mean;
  redraw();
}

void Progress::finish() {
  if (interactive_) {
    std::fprintf(stderr, "\r\033[K%s\n", status_line().c_str());
    std::fflush(stderr);
  }
}

}  // namespace eegsweep
