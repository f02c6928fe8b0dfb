#include "engine/cli/lease_options.h"

#include "engine/cli/cli_common.h"

namespace eegsweep::cli {

void add_lease_options(CLI::App& command, LeasePolicy& lease, const std::string& what) {
  command.add_option("--lease", lease.lease_seconds,
                     "seconds a claim lasts without a heartbeat (renewed every third of it); the " +
                         what + " of a process that died is reclaimed after this (default 60)")
      ->check(positive_seconds());
  command.add_option("--max-retries", lease.max_retries,
                     "times a claimed " + what + "'s lease may lapse; one more and its trial fails (default 3)")
      ->check(at_least(0));
}

}  // namespace eegsweep::cli
