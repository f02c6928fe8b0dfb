#include "engine/sched/stop_signal.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace eegsweep {

namespace {
std::atomic<int> g_signal{0};

void on_signal(int signal_number) {
  if (g_signal.exchange(signal_number) != 0) {
    static const char message[] = "\nsweep: second interrupt, exiting now (finished folds are stored)\n";
    (void)!write(STDERR_FILENO, message, sizeof(message) - 1);
    std::_Exit(128 + signal_number);
  }
}
}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGUSR1, &action, nullptr);  // Slurm's warning before a time limit or preemption
}

bool stop_requested() { return g_signal.load() != 0; }
void request_stop() { g_signal.store(SIGINT); }
void reset_stop() { g_signal.store(0); }
int stop_signal_number() { return g_signal.load(); }

}  // namespace eegsweep
