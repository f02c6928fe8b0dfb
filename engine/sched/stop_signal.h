#pragma once
// Ctrl-C / SIGTERM handling: the first signal asks the sweep to stop at the next epoch boundary
// (everything finished is already stored); a second one exits at once, which is still safe
// because every stored fold is a committed transaction and unfinished trials are reclaimed.

namespace eegsweep {

void install_stop_handlers();
bool stop_requested();
void request_stop();    // as if a signal arrived (tests)
void reset_stop();      // for tests and for a new sweep in the same process
int stop_signal_number();  // the signal that asked to stop, 0 if none

}  // namespace eegsweep
