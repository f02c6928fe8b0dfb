#!/usr/bin/env bash
# The GPU check, run on a GPU machine from a bundle built elsewhere (scripts/gpu_bundle.sh):
# nothing is built there. Steps, each under `timeout`:
#   1. libraries: the bundle's own, plus the directories of the machine's libcudnn.so.9,
#      libcublas, libcudart and libcuda (searched for: pip's site-packages nvidia/*/lib,
#      /usr/local/cuda*, ldconfig), so that every program resolves every library
#   2. nvidia-smi, and whether the engine sees a usable GPU (gpu_bench --probe)
#   3. test_cuda: every …MatchesCpu test against the oneDNN backend, and the host-side tests
#   4. the demo sweep with device cuda, then `reproduce --best` on the GPU and on the CPU
#   5. gpu_bench at 1, 4 and 16 packed trainers
#   6. PyTorch at the same shape (scripts/bench/pytorch_gru_gpu_bench.py, the bundle's copy),
#      when torch with CUDA is importable
# and writes everything into one folder, at most 8 flat files: summary.md (the BENCHMARKS.md GPU
# table, filled), environment.log, test_cuda.log, sweep.log, gpu_bench.log, pytorch.log,
# check.log (this script's own output).
#
#   scripts/gpu_check.sh --bundle DIR [--quick] [--out DIR]
#
# --quick (for a leased machine): 1 timed epoch, PyTorch at 1 and 4 trainers, and every step's
# time limit chosen so that the whole run ends within 6 minutes (5 min 50 s of limits).
# Without --quick: 2 timed epochs, PyTorch at 1, 4, 16, within 10 minutes.
# Exit status: 0 all passed; 1 a step failed or timed out; 2 usage; 3 no usable GPU (the
# libraries and test_cuda's host-side tests were still checked; summary.md says why).
set -uo pipefail

BUNDLE=""
OUT_DIR=gpu-check-out
QUICK=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bundle) BUNDLE=${2:-}; shift 2 ;;
    --out) OUT_DIR=${2:-}; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "gpu_check: unknown option $1 (usage: gpu_check.sh --bundle DIR [--quick] [--out DIR])" >&2
       exit 2 ;;
  esac
done
if [[ -z $BUNDLE || ! -f $BUNDLE/MANIFEST ]]; then
  echo "gpu_check: --bundle DIR must name a folder made by scripts/gpu_bundle.sh (with a MANIFEST)" >&2
  exit 2
fi
BUNDLE=$(cd "$BUNDLE" && pwd)
mkdir -p "$OUT_DIR" || exit 2
OUT_DIR=$(cd "$OUT_DIR" && pwd)
rm -f "$OUT_DIR"/{summary.md,environment.log,test_cuda.log,sweep.log,gpu_bench.log,pytorch.log,check.log}
exec > >(tee "$OUT_DIR/check.log") 2>&1
TEE_PID=$!
ORIGINAL_LD_LIBRARY_PATH=${LD_LIBRARY_PATH-}

if ((QUICK)); then
  EPOCHS=1; PACKS=1,4,16; TORCH_PACKS=1,4; DEADLINE_S=350
  LIMIT_ENV=40; LIMIT_TESTS=75; LIMIT_SWEEP=40; LIMIT_REPRODUCE=20; LIMIT_BENCH=100; LIMIT_TORCH=75
else
  EPOCHS=2; PACKS=1,4,16; TORCH_PACKS=1,4,16; DEADLINE_S=570
  LIMIT_ENV=40; LIMIT_TESTS=120; LIMIT_SWEEP=60; LIMIT_REPRODUCE=30; LIMIT_BENCH=160; LIMIT_TORCH=150
fi
START=$SECONDS
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Seconds a step may take: its own limit, cut to what is left before the run's deadline.
limit() {
  local left=$((DEADLINE_S - (SECONDS - START)))
  ((left < 1)) && left=1
  echo $(($1 < left ? $1 : left))
}
# run_step NAME LIMIT LOG CMD…: runs under `timeout`, appends to LOG, records the outcome.
declare -A STEP_RESULT=() STEP_SECONDS=()
STEPS=()
run_step() {
  local name=$1 seconds=$2 log=$3 limit_s started=$SECONDS rc
  shift 3
  limit_s=$(limit "$seconds")
  echo "== $name (limit ${limit_s}s): $*" | tee -a "$log"
  timeout --kill-after=5 "$limit_s" "$@" >>"$log" 2>&1
  rc=$?
  STEPS+=("$name")
  STEP_SECONDS[$name]=$((SECONDS - started))
  if ((rc == 0)); then
    STEP_RESULT[$name]="passed"
  elif ((rc == 124 || rc == 137)); then
    STEP_RESULT[$name]="TIMED OUT after ${limit_s}s"
  else
    STEP_RESULT[$name]="FAILED (exit $rc)"
  fi
  echo "   -> ${STEP_RESULT[$name]} in ${STEP_SECONDS[$name]}s" | tee -a "$log"
  return $rc
}

# ---- 1. libraries ---------------------------------------------------------------------------
ENV_LOG="$OUT_DIR/environment.log"
{
  echo "gpu_check $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n), $(uname -srm)"
  echo "bundle: $BUNDLE"
  sed -n '1,7p' "$BUNDLE/MANIFEST"
  echo
} >"$ENV_LOG"

# Folders that may hold the machine's CUDA libraries, most specific first.
candidate_dirs() {
  local site
  # pip wheels (nvidia-cudnn-cu13, nvidia-cublas, …) live in python3's site-packages.
  if command -v python3 >/dev/null; then
    timeout 30 python3 -c 'import site, sys
print("\n".join(site.getsitepackages() + [site.getusersitepackages()] + sys.path))' 2>/dev/null |
      sort -u | while read -r site; do
        [[ -d $site/nvidia ]] && ls -d "$site"/nvidia/*/lib "$site"/nvidia/*/lib64 2>/dev/null
      done
  fi
  ls -d /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-*/lib64 \
    /usr/local/cuda-*/targets/x86_64-linux/lib /usr/local/nvidia/lib64 /usr/local/nvidia/lib \
    /usr/lib/x86_64-linux-gnu /usr/lib64 2>/dev/null
  ldconfig -p 2>/dev/null | awk -F'=> ' '/=>/ {print $2}' | xargs -r -n1 dirname | sort -u
}
mapfile -t CANDIDATES < <(candidate_dirs | awk '!seen[$0]++')
# The first folder holding NAME (a file or a link to one), or nothing.
find_library() {
  local dir
  for dir in "${CANDIDATES[@]}"; do
    [[ -e $dir/$1 ]] && { echo "$dir"; return 0; }
  done
  # Last resort: a bounded search of the usual roots. Never the toolkit's stubs (link-time only)
  # or its forward-compatibility driver (compat/), which must match the kernel's driver.
  timeout 20 find /opt /usr/local /usr/lib /root -name "$1" ! -path '*/stubs/*' ! -path '*/compat/*' \
    -print -quit 2>/dev/null | xargs -r dirname
}

LIB_PATH="$BUNDLE/lib"
add_dir() { [[ ":$LIB_PATH:" == *":$1:"* ]] || LIB_PATH="$LIB_PATH:$1"; }
# libcudnn.so.9 loads its sub-libraries (libcudnn_engines_*.so.9, …) from its own folder. Then
# whatever else the programs still miss.
MISSING=()
for name in libcudnn.so.9 libcublas.so.13 libcublasLt.so.13 libcudart.so.13; do
  dir=$(find_library "$name")
  if [[ -n $dir ]]; then
    add_dir "$dir"
    echo "found $name in $dir" >>"$ENV_LOG"
  else
    MISSING+=("$name")
    echo "NOT FOUND: $name (searched ${#CANDIDATES[@]} folders: ${CANDIDATES[*]})" >>"$ENV_LOG"
  fi
done
unresolved() {  # libraries ldd cannot resolve for any program of the bundle
  LD_LIBRARY_PATH="$LIB_PATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd "$BUNDLE"/bin/* 2>&1 |
    awk '/not found/ {print $1}' | sort -u
}
# libcuda.so.1 is the driver's own, loaded by the CUDA runtime: left alone where the loader
# already finds it (ldconfig, or the LD_LIBRARY_PATH the machine set), else looked for in the
# driver's usual folders only.
loader_finds_driver() {
  local d
  ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1 ' && return 0
  for d in ${ORIGINAL_LD_LIBRARY_PATH//:/ }; do [[ -e $d/libcuda.so.1 ]] && return 0; done
  return 1
}
if loader_finds_driver; then
  echo "the driver's libcuda.so.1 is found by the loader as it is" >>"$ENV_LOG"
else
  driver_dir=""
  for dir in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64; do
    [[ -e $dir/libcuda.so.1 ]] && { driver_dir=$dir; break; }
  done
  if [[ -n $driver_dir ]]; then
    add_dir "$driver_dir"; echo "found libcuda.so.1 in $driver_dir" >>"$ENV_LOG"
  else
    echo "the driver's libcuda.so.1 is not found (no GPU driver?)" >>"$ENV_LOG"
  fi
fi
for name in $(unresolved); do
  dir=$(find_library "$name")
  if [[ -n $dir ]]; then add_dir "$dir"; echo "found $name in $dir" >>"$ENV_LOG"; fi
done
export LD_LIBRARY_PATH="$LIB_PATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The machine's libstdc++ normally serves (the bundle's programs need GLIBCXX_3.4.30 at most);
# the bundle's own only where the machine's is missing or too old.
if ! "$BUNDLE/bin/sweep" --version >/dev/null 2>&1; then
  export LD_LIBRARY_PATH="$BUNDLE/lib-compat:$LD_LIBRARY_PATH"
  echo "the machine's libstdc++/libgcc_s do not serve: using the bundle's lib-compat" >>"$ENV_LOG"
fi
STILL_MISSING=$(unresolved | grep -vx 'libcuda.so.1' | tr '\n' ' ')
{
  echo
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  echo
  LD_LIBRARY_PATH="$LD_LIBRARY_PATH" ldd "$BUNDLE"/bin/*
} >>"$ENV_LOG" 2>&1

SETUP_ERROR=""
if [[ -n $STILL_MISSING ]]; then
  SETUP_ERROR="libraries not found on this machine: $STILL_MISSING(see environment.log)"
elif ! VERSION=$("$BUNDLE/bin/sweep" --version 2>&1); then
  SETUP_ERROR="the bundle's sweep does not start: $VERSION"
fi
echo "== libraries: ${SETUP_ERROR:-every program resolves every library}"

# ---- 2. the GPU -----------------------------------------------------------------------------
GPU_LINE=$(timeout 20 nvidia-smi --query-gpu=name,memory.total,driver_version,compute_cap \
  --format=csv,noheader 2>&1 | head -4)
NVSMI_RC=$?  # nvidia-smi's own status (pipefail)
{ echo; echo "nvidia-smi (rc $NVSMI_RC): $GPU_LINE"; timeout 20 nvidia-smi 2>&1; } >>"$ENV_LOG"
PROBE=""
GPU_ERROR=""
if [[ -z $SETUP_ERROR ]]; then
  PROBE=$(timeout "$(limit "$LIMIT_ENV")" "$BUNDLE/bin/gpu_bench" --probe 2>&1)
  PROBE_RC=$?
  echo "gpu_bench --probe (rc $PROBE_RC): $PROBE" >>"$ENV_LOG"
  ((PROBE_RC == 0)) || GPU_ERROR=${PROBE:-gpu_bench --probe exited $PROBE_RC}
fi
((NVSMI_RC == 0)) || GPU_ERROR="nvidia-smi: ${GPU_LINE:-not available}${GPU_ERROR:+; $GPU_ERROR}"
echo "== GPU: ${GPU_ERROR:-$PROBE}"

# ---- 3. test_cuda ---------------------------------------------------------------------------
TESTS_LINE="not run"
if [[ -z $SETUP_ERROR ]]; then
  run_step test_cuda "$LIMIT_TESTS" "$OUT_DIR/test_cuda.log" "$BUNDLE/bin/test_cuda"
  count() { grep -E "^\[  $1 *\] [0-9]+ tests?" "$OUT_DIR/test_cuda.log" | grep -oE '[0-9]+' | head -1; }
  TESTS_LINE="${STEP_RESULT[test_cuda]}: $(count PASSED || true) passed, $(count FAILED || true) failed, $(count SKIPPED || true) skipped"
  # On a GPU machine nothing may skip: a skipped …MatchesCpu test is a check not made.
  SKIPPED_TESTS=$(grep -E '^\[  SKIPPED \] [A-Za-z]' "$OUT_DIR/test_cuda.log" | sed 's/ (.*//' | sort -u | wc -l)
  if [[ -z $GPU_ERROR && $SKIPPED_TESTS -gt 0 ]]; then
    STEP_RESULT[test_cuda]="FAILED ($SKIPPED_TESTS tests skipped on a GPU machine)"
    TESTS_LINE="${STEP_RESULT[test_cuda]}; $TESTS_LINE"
  fi
fi

# ---- 4-6 need the GPU -----------------------------------------------------------------------
SWEEP_LINES=""
if [[ -z $SETUP_ERROR && -z $GPU_ERROR ]]; then
  SWEEP_LOG="$OUT_DIR/sweep.log"
  DB="$WORK/grid-gpu.db"
  run_step sweep_gpu "$LIMIT_SWEEP" "$SWEEP_LOG" \
    "$BUNDLE/bin/sweep" run "$BUNDLE/share/grid.yaml" --set device=cuda --db "$DB"
  run_step reproduce_gpu "$LIMIT_REPRODUCE" "$SWEEP_LOG" "$BUNDLE/bin/sweep" reproduce --best --db "$DB"
  run_step reproduce_cpu "$LIMIT_REPRODUCE" "$SWEEP_LOG" \
    "$BUNDLE/bin/sweep" reproduce --best --device cpu --db "$DB"
  SWEEP_LINES=$(grep -E "^(sweep '|best|held-out|identical|close|DIFFERENT|no recorded)|rror" "$SWEEP_LOG" | head -20)

  run_step gpu_bench "$LIMIT_BENCH" "$OUT_DIR/gpu_bench.log" \
    "$BUNDLE/bin/gpu_bench" --epochs "$EPOCHS" --packs "$PACKS"

  # The machine's PyTorch finds its own CUDA libraries: it runs in the environment this script
  # was started in, not with the bundle's LD_LIBRARY_PATH.
  if [[ -n $ORIGINAL_LD_LIBRARY_PATH ]]; then
    MACHINE_ENV=(env LD_LIBRARY_PATH="$ORIGINAL_LD_LIBRARY_PATH" PYTHONUNBUFFERED=1)
  else
    MACHINE_ENV=(env -u LD_LIBRARY_PATH PYTHONUNBUFFERED=1)
  fi
  if "${MACHINE_ENV[@]}" timeout "$(limit 40)" python3 -c \
      'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' >/dev/null 2>&1; then
    run_step pytorch "$LIMIT_TORCH" "$OUT_DIR/pytorch.log" "${MACHINE_ENV[@]}" \
      python3 "$BUNDLE/share/pytorch_gru_gpu_bench.py" --epochs "$EPOCHS" --packs "$TORCH_PACKS"
  else
    echo "PyTorch: skipped, torch with CUDA is not importable" | tee "$OUT_DIR/pytorch.log"
  fi
fi

# ---- summary --------------------------------------------------------------------------------
# RESULT lines of one engine → "trainers trial_epochs_per_hour s_per_trial_epoch" rows.
results() {
  grep -h "^RESULT engine=$1 " "$OUT_DIR/gpu_bench.log" "$OUT_DIR/pytorch.log" 2>/dev/null |
    sed -E 's/.*trainers=([0-9]+).*s_per_trial_epoch=([0-9.]+).*trial_epochs_per_hour=([0-9.]+).*/\1 \3 \2/'
}
bench_table() {
  {
    results eegsweep | sed 's/^/E /'
    results pytorch | sed 's/^/P /'
  } | awk -v packs="$PACKS" '
    $1 == "E" { e_tph[$2] = $3; e_spe[$2] = $4 }
    $1 == "P" { p_tph[$2] = $3 }
    function cell(v, fmt) { return v == "" ? "—" : sprintf(fmt, v) }
    function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "—" : sprintf("%.2f×", a / b) }
    END {
      print "| trainers | eegsweep s per trial-epoch | eegsweep trial-epochs/h | PyTorch trial-epochs/h (same packing) | vs PyTorch, same packing | vs PyTorch one at a time |"
      print "|---|---|---|---|---|---|"
      n = split(packs, k, ",")
      for (i = 1; i <= n; ++i) {
        t = k[i]
        print "| " t " | " cell(e_spe[t], "%.3f") " | " cell(e_tph[t], "%.1f") " | " cell(p_tph[t], "%.1f") \
              " | " ratio(e_tph[t], p_tph[t]) " | " ratio(e_tph[t], p_tph[1]) " |"
      }
      printf "\nGoals: ≥ 1× PyTorch at 1 trainer (now %s); ≥ 5× PyTorch one at a time at 16 packed (now %s).\n",
        ratio(e_tph[1], p_tph[1]), ratio(e_tph[16], p_tph[1])
    }'
}

OUTCOME="passed"
EXIT=0
for s in "${STEPS[@]}"; do
  [[ ${STEP_RESULT[$s]} == passed ]] || { OUTCOME="FAILED: $s ${STEP_RESULT[$s]}"; EXIT=1; break; }
done
if [[ -n $SETUP_ERROR ]]; then
  OUTCOME="FAILED: $SETUP_ERROR"; EXIT=1
elif [[ -n $GPU_ERROR ]]; then
  if [[ ${STEP_RESULT[test_cuda]:-} == passed ]]; then
    OUTCOME="no GPU: $GPU_ERROR (libraries resolve; test_cuda's host-side tests passed, GPU tests skipped)"
    EXIT=3
  else
    OUTCOME="FAILED: no GPU ($GPU_ERROR), and test_cuda ${STEP_RESULT[test_cuda]:-not run}"; EXIT=1
  fi
fi

{
  echo "# GPU check $(date -u +%Y-%m-%d) — $OUTCOME"
  echo
  echo "- machine: ${GPU_LINE:-?}; $(nproc) CPU cores"
  echo "- engine: ${PROBE:-?}"
  echo "- bundle: $(sed -n 's/^commit: //p' "$BUNDLE/MANIFEST"), $(sed -n 's/^compilers: //p' "$BUNDLE/MANIFEST")"
  echo "- mode: $( ((QUICK)) && echo quick || echo full), $EPOCHS timed epoch(s), packs $PACKS; PyTorch packs $TORCH_PACKS"
  echo "- test_cuda: $TESTS_LINE"
  for s in "${STEPS[@]}"; do echo "- step $s: ${STEP_RESULT[$s]} (${STEP_SECONDS[$s]} s)"; done
  echo "- total: $((SECONDS - START)) s"
  if [[ -n $SWEEP_LINES ]]; then
    echo
    echo '```'
    echo "$SWEEP_LINES"
    echo '```'
  fi
  echo
  echo "Classic shape (batch 32, 2548 steps × 1 input, hidden 256, flatten head, 1278 training rows, 3 classes), strict FP32:"
  echo
  bench_table
  trainer_line=$(grep -m1 '^trainer: ' "$OUT_DIR/gpu_bench.log" 2>/dev/null)
  [[ -n $trainer_line ]] && { echo; echo "eegsweep $trainer_line"; }
  torch_line=$(grep -m1 '^pytorch_gru_gpu_bench: ' "$OUT_DIR/pytorch.log" 2>/dev/null)
  [[ -n $torch_line ]] && echo "$torch_line"
} >"$OUT_DIR/summary.md"

echo
cat "$OUT_DIR/summary.md"
echo
echo "gpu_check: $OUTCOME (exit $EXIT); logs in $OUT_DIR"
# Let tee finish check.log before the caller collects the folder.
exec >/dev/null 2>&1
wait "$TEE_PID" 2>/dev/null
exit $EXIT
