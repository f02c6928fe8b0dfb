#pragma once
// `sweep slurm`: the sbatch script of an array of long-lived workers. Each array task runs one
// `sweep worker`; Slurm's warning before the time limit (--signal=B:USR1@120) reaches the batch
// shell, which passes it on to the worker (it hands its units back) and requeues the task.

#include <string>
#include <vector>

namespace eegsweep {

struct SlurmOptions {
  std::string sweep_binary;   // absolute path of `sweep`, as every node sees it
  std::string spec_path;      // absolute path of the sweep file, as every node sees it
  std::vector<std::string> overrides;  // --set, passed on
  std::string db_url;
  std::string job_name;
  int workers = 1;
  int gpus_per_worker = 0;
  int cpus_per_worker = 0;    // 0: Slurm's default
  std::string partition, time_limit, log_directory;
  double lease_seconds = 60;
};

// The script text. Every value is shell-quoted.
std::string slurm_array_script(const SlurmOptions& options);

std::string shell_quoted(const std::string& text);  // 'text', with ' as '\''

}  // namespace eegsweep
