#include "engine/sched/slurm_script.h"

#include <fmt/format.h>

namespace eegsweep {

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string slurm_array_script(const SlurmOptions& o) {
  std::string s = "#!/bin/bash\n";
  s += "# Written by `sweep slurm`: " + std::to_string(o.workers) +
       " workers pulling units of one sweep from PostgreSQL.\n";
  s += "#SBATCH --job-name=" + o.job_name + "\n";
  s += fmt::format("#SBATCH --array=0-{}\n", o.workers - 1);
  s += "#SBATCH --signal=B:USR1@120\n";
  s += "#SBATCH --requeue\n";
  s += "#SBATCH --ntasks=1\n";
  if (o.cpus_per_worker > 0) s += fmt::format("#SBATCH --cpus-per-task={}\n", o.cpus_per_worker);
  if (o.gpus_per_worker > 0) s += fmt::format("#SBATCH --gres=gpu:{}\n", o.gpus_per_worker);
  if (!o.partition.empty()) s += "#SBATCH --partition=" + o.partition + "\n";
  if (!o.time_limit.empty()) s += "#SBATCH --time=" + o.time_limit + "\n";
  if (!o.log_directory.empty()) s += "#SBATCH --output=" + o.log_directory + "/%x-%A_%a.out\n";
  s += "\n";
  std::string command = shell_quoted(o.sweep_binary) + " worker " + shell_quoted(o.spec_path) +
                        " --db \"$EEGSWEEP_DB\"";
  for (const auto& set : o.overrides) command += " --set " + shell_quoted(set);
  command += fmt::format(" --lease {}", o.lease_seconds);
  if (o.cpus_per_worker > 0) command += fmt::format(" -j {}", o.cpus_per_worker);
  s += "export EEGSWEEP_DB=${EEGSWEEP_DB:-" + shell_quoted(o.db_url) + "}\n";
  s += command + " &\n";
  s += "worker=$!\n";
  s += "# Slurm warns the batch shell (B:USR1) before the time limit: the worker hands its units\n"
       "# back, and the task goes back in the queue to pick up where the sweep then is.\n";
  s += "warned=0\n";
  s += "trap 'kill -USR1 \"$worker\" 2>/dev/null; warned=1' USR1\n";
  s += "wait \"$worker\"; status=$?\n";
  s += "while kill -0 \"$worker\" 2>/dev/null; do wait \"$worker\"; status=$?; done\n";
  s += "if [ \"$warned\" = 1 ]; then scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"; fi\n";
  s += "exit \"$status\"\n";
  return s;
}

}  // namespace eegsweep
