#!/usr/bin/env bash
# CPU training throughput, one thread: eegsweep's oneDNN trainer (build/bench/train_bench) next to
# PyTorch's nn.GRU on the same shapes, as a table with the speed-up.
#
#   scripts/bench/run_train_bench.sh [BUILD_DIR] [--shape classic|short|all] [--batches N]
#
# BUILD_DIR defaults to build/ (it must contain bench/train_bench). PyTorch comes from Debian's
# /usr/bin/python3 (python3-torch); PYTHON overrides it. Where torch is missing the table shows
# eegsweep alone. Numbers from a machine shared with other jobs are noisy: the cpu_* columns
# (thread CPU time) are the steadier measure there.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build"
if [[ $# -gt 0 && "$1" != --* ]]; then build="$1"; shift; fi
python="${PYTHON:-/usr/bin/python3}"
bench="$build/bench/train_bench"
if [[ ! -x "$bench" ]]; then
  echo "run_train_bench: $bench not found; build it with: cmake --build $build --target train_bench" >&2
  exit 1
fi

ours="$("$bench" "$@")"
theirs=""
if "$python" -c "import torch" 2>/dev/null; then
  theirs="$("$python" "$root/scripts/bench/pytorch_gru_bench.py" "$@")"
else
  echo "run_train_bench: $python has no torch; showing eegsweep only" >&2
fi

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(date -u +%Y-%m-%d)"
echo "$ours" | sed 's/^/eegsweep: /'
[[ -n "$theirs" ]] && echo "$theirs" | sed 's/^/pytorch:  /'
echo
# key=value lines → one table row per shape.
awk -v ours="$ours" -v theirs="$theirs" '
function parse(text, who,    lines, n, i, fields, m, j, kv) {
  n = split(text, lines, "\n")
  for (i = 1; i <= n; ++i) {
    m = split(lines[i], fields, " ")
    delete kv
    for (j = 1; j <= m; ++j) { split(fields[j], p, "="); kv[p[1]] = p[2] }
    if (!("shape" in kv)) continue
    s = kv["shape"]; shapes[s] = 1
    desc[s] = sprintf("B%s T%s I%s H%s %s", kv["batch"], kv["timesteps"], kv["inputs"], kv["hidden"], kv["head"])
    ms[who, s] = kv["ms_per_batch"]; sps[who, s] = kv["samples_per_s"]; gf[who, s] = kv["gflops"]
    cgf[who, s] = kv["cpu_gflops"]
  }
}
BEGIN {
  parse(ours, "o"); parse(theirs, "t")
  printf "| shape | eegsweep ms/batch | eegsweep samples/s | eegsweep GFLOP/s (cpu-time) | PyTorch ms/batch | PyTorch samples/s | PyTorch GFLOP/s (cpu-time) | speed-up |\n"
  printf "|---|---|---|---|---|---|---|---|\n"
  for (s in shapes) {
    if ((("t", s) in sps) && sps["t", s] > 0) {
      printf "| %s (%s) | %s | %s | %s (%s) | %s | %s | %s (%s) | %.2fx |\n", s, desc[s], ms["o", s], sps["o", s],
             gf["o", s], cgf["o", s], ms["t", s], sps["t", s], gf["t", s], cgf["t", s], sps["o", s] / sps["t", s]
    } else {
      printf "| %s (%s) | %s | %s | %s (%s) | - | - | - | - |\n", s, desc[s], ms["o", s], sps["o", s], gf["o", s], cgf["o", s]
    }
  }
}'
