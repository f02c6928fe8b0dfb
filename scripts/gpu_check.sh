#!/usr/bin/env bash
# One command for a machine with a GPU: configure and build (Release, CUDA arch 90), run the
# cuDNN backend's tests (test_cuda: every …MatchesCpu test runs against the CPU backend), run
# the GPU benchmark (scripts/bench/gpu_bench.cpp) and PyTorch's at the same shape when torch
# with CUDA is importable, and print a short table.
#
#   scripts/gpu_check.sh [--quick]     # --quick: 1 epoch, packs 1,4 (a few minutes less)
#
# Environment: BUILD_DIR (default build-gpu), CUDA_ARCH (default 90), JOBS (default nproc).
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build-gpu}
CUDA_ARCH=${CUDA_ARCH:-90}
JOBS=${JOBS:-$(nproc)}
EPOCHS=2
PACKS=1,4,16
if [[ "${1:-}" == "--quick" ]]; then EPOCHS=1; PACKS=1,4; fi
LOG_DIR="$BUILD_DIR/gpu_check"
mkdir -p "$LOG_DIR"

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null ||
  echo "nvidia-smi: not available"

echo "== configure + build ($BUILD_DIR, CUDA arch $CUDA_ARCH)"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES="$CUDA_ARCH" \
  -DEEGSWEEP_WITH_CUDA=ON >"$LOG_DIR/configure.log" 2>&1 || { cat "$LOG_DIR/configure.log"; exit 1; }
cmake --build "$BUILD_DIR" --target sweep test_cuda gpu_bench -j"$JOBS" >"$LOG_DIR/build.log" 2>&1 ||
  { tail -50 "$LOG_DIR/build.log"; exit 1; }

echo "== test_cuda"
"$BUILD_DIR/tests/test_cuda" --gtest_brief=1 >"$LOG_DIR/test_cuda.log" 2>&1
test_rc=$?
grep -E '^\[  (FAILED|SKIPPED) \]|Failure|^\[==========\]|^\[  PASSED  \]' "$LOG_DIR/test_cuda.log" | tail -30
# gtest's summary lines: "[  PASSED  ] 12 tests.", "[  SKIPPED ] 20 tests, …", "[  FAILED  ] 1 test, …"
count() { grep -E "^\[  $1 *\] [0-9]+ tests?" "$LOG_DIR/test_cuda.log" | grep -oE '[0-9]+' | head -1; }
tests_passed=$(count PASSED)
tests_failed=$(count FAILED)
tests_skipped=$(count SKIPPED)

# The whole flow on the GPU: the demo sweep, then its best trial reproduced on the GPU and on
# the CPU (across devices the test accuracy may differ by at most 0.02).
echo "== sweep run sweeps/grid.yaml on the GPU"
rm -f "$LOG_DIR/grid-gpu.db"*
sweep_rc=0
"$BUILD_DIR/sweep" run sweeps/grid.yaml --set device=cuda --db "$LOG_DIR/grid-gpu.db" \
  >"$LOG_DIR/sweep.log" 2>&1 || sweep_rc=$?
"$BUILD_DIR/sweep" reproduce --best --db "$LOG_DIR/grid-gpu.db" >>"$LOG_DIR/sweep.log" 2>&1 || sweep_rc=$?
"$BUILD_DIR/sweep" reproduce --best --device cpu --db "$LOG_DIR/grid-gpu.db" >>"$LOG_DIR/sweep.log" 2>&1 ||
  sweep_rc=$?
grep -E "^(sweep '|best:|held-out|identical|close|DIFFERENT)|error" "$LOG_DIR/sweep.log"

echo "== gpu_bench (epochs $EPOCHS, packs $PACKS)"
"$BUILD_DIR/bench/gpu_bench" --epochs "$EPOCHS" --packs "$PACKS" 2>&1 | tee "$LOG_DIR/gpu_bench.log"
bench_rc=${PIPESTATUS[0]}

torch_ok=0
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  torch_ok=1
  echo "== PyTorch (same shape)"
  python3 scripts/bench/pytorch_gru_gpu_bench.py --epochs "$EPOCHS" --packs "$PACKS" 2>&1 |
    tee "$LOG_DIR/pytorch.log"
else
  echo "== PyTorch: skipped (torch with CUDA is not importable)"
  : >"$LOG_DIR/pytorch.log"
fi

echo
echo "== summary"
printf 'test_cuda: rc %s, %s passed, %s failed, %s skipped\n' "$test_rc" "${tests_passed:-0}" \
  "${tests_failed:-0}" "${tests_skipped:-0}"
printf 'sweep on the GPU + reproduce (GPU, CPU): rc %s\n' "$sweep_rc"
printf '%-10s %9s %20s %24s\n' engine trainers "s per trial-epoch" "trial-epochs per hour"
grep -h '^RESULT' "$LOG_DIR/gpu_bench.log" "$LOG_DIR/pytorch.log" | while read -r _ fields; do
  declare -A kv=()
  for f in $fields; do kv[${f%%=*}]=${f#*=}; done
  printf '%-10s %9s %20s %24s\n' "${kv[engine]}" "${kv[trainers]}" "${kv[s_per_trial_epoch]}" \
    "${kv[trial_epochs_per_hour]}"
done
[[ $torch_ok == 1 ]] || echo "(no PyTorch row: torch with CUDA not importable)"
echo "logs: $LOG_DIR"
[[ $test_rc == 0 && $bench_rc == 0 && $sweep_rc == 0 ]]
