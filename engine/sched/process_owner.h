#pragma once
// Who is running a trial. A claimed trial records its owner, and a later run reclaims the trials
// whose owner is gone. A pid alone is not enough: pids are reused, and a trial of a dead sweep
// whose pid now belongs to another process would stay "running" forever. So an owner is
// "host:pid:start:boot": the process's start time (field 22 of /proc/<pid>/stat, in clock ticks
// since boot) and the kernel's boot id (/proc/sys/kernel/random/boot_id), which together name
// one process on one host for as long as the host runs, and no process after a reboot.

#include <string>

namespace eegsweep {

std::string host_name();  // gethostname(), or "unknown-host"

// This process as an owner string: "host:pid:start:boot".
std::string this_process_owner();

// Whether the process an owner string names still runs. Owners on other hosts cannot be checked
// from here and count as alive: their trials are reclaimed when their lease runs out
// (Store::claim_trial with a LeasePolicy); this check only lets a run reclaim the trial of a dead
// process of this host at once, without waiting for the lease. Owners of
// the older form "host:pid", written before the start time was recorded, are checked by pid
// alone. An owner string that is none of these names no process of ours: not alive.
bool owner_is_alive(const std::string& owner);

}  // namespace eegsweep
