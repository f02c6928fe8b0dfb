#pragma once
// --lease and --max-retries, declared once for every verb that claims work under a lease
// (`sweep worker`'s units on PostgreSQL, `sweep run`'s trials on SQLite).

#include <CLI/CLI.hpp>

#include "results/lease_policy.h"

namespace eegsweep::cli {

// `what` names the thing claimed, e.g. "unit" or "trial", in the options' help.
void add_lease_options(CLI::App& command, LeasePolicy& lease, const std::string& what);

}  // namespace eegsweep::cli
