#pragma once
// Sweep progress on stderr: one self-updating status line on a terminal (trials and folds done,
// current best, elapsed, ETA), plain log lines otherwise (CI, files, pipes).

#include <chrono>
#include <optional>
#include <string>

namespace eegsweep {

class Progress {
 public:
  Progress(int trials_total, int folds_total, bool interactive);

  void set_done(int trials_done, int folds_done);  // what an earlier run already finished
  void fold_finished(int trial_number, int fold, double value, double seconds);
  void trial_finished(int trial_number, const std::string& status, std::optional<double> cv_mean);
  void set_best(int trial_number, double cv_mean);
  // A message on its own line (the status line is redrawn below it).
  void log(const std::string& message);
  void finish();  // ends the status line

  static bool stderr_is_terminal();

 private:
  void redraw();
  std::string status_line() const;

  int trials_total_, folds_total_;
  int trials_done_ = 0, folds_done_ = 0, folds_done_here_ = 0;
  bool interactive_;
  std::optional<int> best_trial_;
  double best_value_ = 0;
  std::string metric_name_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::string format_duration(double seconds);  // "1:05", "2:03:07"

}  // namespace eegsweep
