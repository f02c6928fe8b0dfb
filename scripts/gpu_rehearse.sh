#!/usr/bin/env bash
# Rehearses here, without a GPU, the GPU check that runs on a leased GPU machine (README "GPU"):
#
#   scripts/gpu_rehearse.sh [--bundle DIR] [--build]
#
#   --build   make the bundle first (scripts/gpu_bundle.sh; a Release build, several minutes)
#
# Checks, each printed with its outcome:
#   1. the bundle: a MANIFEST, under 60 MiB, no CUDA or cuDNN library inside
#   2. every library of every program resolves, and every one that is neither the C library
#      nor CUDA/cuDNN resolves from the bundle (ldd)
#   3. a machine without Debian's libraries: in a private mount namespace the system library
#      folder is replaced by one holding only the C library and zlib (which cuDNN itself needs),
#      and the programs still start: sweep --version, gpu_bench --probe ("no GPU"), test_cuda
#      (host-side tests pass, GPU tests skip saying why). Needs root (unshare -m); says so
#      and counts it as not rehearsed otherwise
#   4. scripts/gpu_check.sh --bundle DIR --quick ends cleanly with "no GPU" (exit 3), its
#      summary says so, and its folder holds at most 8 flat files
#   5. gpu_check.sh's GPU path (sweep + reproduce, benchmarks, summary table) against stand-ins
#      for nvidia-smi, gpu_bench and PyTorch with known figures (see there)
# Exit 0 when every check holds, 1 when one fails, 77 when there is no bundle (ctest: skipped).
set -uo pipefail
cd "$(dirname "$0")/.."

BUNDLE=gpu-bundle
BUILD=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bundle) BUNDLE=$2; shift 2 ;;
    --build) BUILD=1; shift ;;
    *) echo "gpu_rehearse: unknown option $1" >&2; exit 2 ;;
  esac
done
if ((BUILD)); then
  scripts/gpu_bundle.sh --out "$BUNDLE" || exit 1
fi
if [[ ! -f $BUNDLE/MANIFEST ]]; then
  echo "gpu_rehearse: skipped: no bundle at $BUNDLE (make one with scripts/gpu_bundle.sh)"
  exit 77
fi
BUNDLE=$(cd "$BUNDLE" && pwd)
CUDA_LIB=$(dirname "$(readlink -f /usr/local/cuda/lib64/libcudart.so.13 2>/dev/null || echo /usr/local/cuda/lib64/x)")

FAILURES=0
check() {  # check DESCRIPTION OK(0/1) [DETAIL]
  if [[ $2 == 0 ]]; then
    echo "ok      $1"
  else
    echo "FAILED  $1${3:+: $3}"
    FAILURES=$((FAILURES + 1))
  fi
}

# ---- 1. the bundle ----------------------------------------------------------------------------
bytes=$(du -sb "$BUNDLE" | cut -f1)
check "bundle is $((bytes / 1024 / 1024)) MiB ($bytes bytes, limit 60 MiB)" $((bytes < 60 * 1024 * 1024 ? 0 : 1))
cuda_inside=$(find "$BUNDLE" -name 'libcud*' -o -name 'libcublas*' -o -name 'libnvrtc*' | tr '\n' ' ')
check "no CUDA or cuDNN library in the bundle" $([[ -z $cuda_inside ]]; echo $?) "$cuda_inside"
for p in sweep test_cuda gpu_bench; do
  check "bin/$p is in the bundle and listed in its MANIFEST" \
    $([[ -x $BUNDLE/bin/$p ]] && grep -q " bin/$p" "$BUNDLE/MANIFEST"; echo $?)
done

# ---- 2. libraries resolve from the bundle -----------------------------------------------------
LIB_PATH="$BUNDLE/lib:$BUNDLE/lib-compat:$CUDA_LIB"
resolution=$(LD_LIBRARY_PATH="$LIB_PATH" ldd "$BUNDLE"/bin/* 2>&1)
not_found=$(echo "$resolution" | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
check "every library of every program resolves" $([[ -z $not_found ]]; echo $?) "not found: $not_found"
outside=$(echo "$resolution" | awk '/=>/ {print $1, $3}' | sort -u | while read -r name path; do
  [[ $name =~ ^(libc|libm|libdl|libpthread|librt|libresolv|libutil)\.so ]] && continue
  [[ $name =~ ^lib(cuda|cudart|cublas|cublasLt|cudnn[a-z_]*|nvrtc|nvJitLink)\.so ]] && continue
  [[ $path == "$BUNDLE"/* ]] || echo "$name=>$path"
done | tr '\n' ' ')
check "every library but the C library and CUDA/cuDNN comes from the bundle" \
  $([[ -z $outside ]]; echo $?) "$outside"
echo "        left to the GPU machine: $(echo "$resolution" | awk '/=>/ {print $1}' | sort -u |
  grep -E '^lib(c|m|dl|pthread|rt|cuda|cudart|cublas|cublasLt|cudnn)\.so' | tr '\n' ' ')"

# ---- 3. a machine without Debian's libraries --------------------------------------------------
SYSTEM_LIB=/usr/lib/x86_64-linux-gnu
if [[ $(id -u) == 0 ]] && unshare -m --propagation private true 2>/dev/null; then
  bare=$(mktemp -d)
  trap 'rm -rf "$bare"' EXIT
  for name in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2 \
              ld-linux-x86-64.so.2 libz.so.1; do
    cp -L "$SYSTEM_LIB/$name" "$bare/"
  done
  # in_bare CMD…: runs CMD with only the C library and zlib in the system folder.
  in_bare() {
    unshare -m --propagation private /bin/sh -c \
      'mount --bind "$1" "$2" || exit 99; export LD_LIBRARY_PATH="$3"; shift 3; exec "$@"' \
      sh "$bare" "$SYSTEM_LIB" "$LIB_PATH" "$@"
  }
  hidden=$(in_bare /bin/sh -c 'set -- "$0"/*; echo $#' "$SYSTEM_LIB" 2>&1)
  check "the bare system folder holds only the C library and zlib ($hidden files)" $([[ $hidden == 8 ]]; echo $?)
  version=$(in_bare "$BUNDLE/bin/sweep" --version 2>&1)
  check "bare machine: sweep --version says '$version'" $?
  probe=$(in_bare "$BUNDLE/bin/gpu_bench" --probe 2>&1)
  probe_rc=$?
  check "bare machine: gpu_bench --probe says '$probe' (exit $probe_rc)" \
    $([[ $probe_rc == 3 && $probe == "no GPU: "* ]]; echo $?)
  tests=$(in_bare "$BUNDLE/bin/test_cuda" --gtest_brief=1 2>&1)
  tests_rc=$?
  summary=$(echo "$tests" | grep -E '^\[  (PASSED|SKIPPED|FAILED) *\] [0-9]+ tests?' | tr '\n' ' ')
  check "bare machine: test_cuda runs (exit $tests_rc): $summary" $tests_rc
  skipped=$(echo "$tests" | grep -oE '^\[  SKIPPED \] [0-9]+' | grep -oE '[0-9]+$')
  no_gpu_reasons=$(echo "$tests" | grep -c '^no GPU: ' || true)
  check "bare machine: every skipped test says why (${skipped:-0} skipped, $no_gpu_reasons 'no GPU: …' reasons)" \
    $([[ ${skipped:-0} -gt 0 && $no_gpu_reasons == "$skipped" ]]; echo $?)
else
  echo "NOT REHEARSED  the bare machine (3.): needs root and unshare -m here"
fi

# ---- 4. gpu_check.sh reaches "no GPU" ---------------------------------------------------------
out=$(mktemp -d)
started=$SECONDS
scripts/gpu_check.sh --bundle "$BUNDLE" --quick --out "$out" >"$out.console" 2>&1
rc=$?
check "gpu_check.sh --bundle --quick exits 3 (no GPU) in $((SECONDS - started)) s (exit $rc)" \
  $([[ $rc == 3 ]]; echo $?)
first=$(head -1 "$out/summary.md" 2>/dev/null)
check "summary.md says: ${first:-<missing>}" $([[ $first == *"no GPU:"* ]]; echo $?)
files=$(find "$out" -type f | wc -l)
nested=$(find "$out" -mindepth 1 -type d | wc -l)
check "gpu_check wrote $files files, none in subfolders (limit 8)" $([[ $files -le 8 && $nested == 0 ]]; echo $?)
grep -q 'every program resolves every library' "$out.console"
check "gpu_check found every library" $? "$(grep -m1 '^== libraries' "$out.console")"
if ((FAILURES)); then
  echo "--- gpu_check output"
  cat "$out.console"
fi
rm -rf "$out" "$out.console"

# ---- 5. gpu_check.sh's GPU path, with stand-ins --------------------------------------------------
# No GPU here, so the steps that need one run against stand-ins with known output: nvidia-smi
# and gpu_bench print an H200's lines and fixed RESULT figures, python3 answers for torch with
# fixed PyTorch figures, sweep runs the real demo sweep on the CPU, test_cuda runs the real
# host-side tests. What is rehearsed is gpu_check's own flow: limits, logs, the sweep and
# reproduce steps, and the summary table, whose ratios are worked out here by hand:
#   1 trainer: 1000 vs 800 trial-epochs/h → 1.25×; 4: 3000 vs 2000 → 1.50× (3.75× vs one at a
#   time); 16: 6000, no PyTorch row → —, 7.50× vs one at a time.
stand=$(mktemp -d)
mkdir -p "$stand/bundle/bin" "$stand/path"
for item in lib lib-compat share MANIFEST; do ln -s "$BUNDLE/$item" "$stand/bundle/$item"; done
cat >"$stand/bundle/bin/gpu_bench" <<'STANDIN'
#!/bin/sh
if [ "$1" = --probe ]; then echo "gpu: cuda:0 NVIDIA H200 (stand-in), cuDNN 9.19.0"; exit 0; fi
echo "gpu_bench: cuda:0 NVIDIA H200 (stand-in)"
echo "RESULT engine=eegsweep trainers=1 epochs=1 wall_s=3.600 s_per_trial_epoch=3.6000 trial_epochs_per_hour=1000.0"
echo "trainer: cuDNN 9.19.0 GRU algo=standard math=fp32-strict (stand-in)"
echo "RESULT engine=eegsweep trainers=4 epochs=1 wall_s=4.800 s_per_trial_epoch=1.2000 trial_epochs_per_hour=3000.0"
echo "RESULT engine=eegsweep trainers=16 epochs=1 wall_s=9.600 s_per_trial_epoch=0.6000 trial_epochs_per_hour=6000.0"
STANDIN
printf '#!/bin/sh
exec "%s" --gtest_filter=-*Cuda* "$@"
' "$BUNDLE/bin/test_cuda" >"$stand/bundle/bin/test_cuda"
cat >"$stand/bundle/bin/sweep" <<STANDIN
#!/bin/bash
exec "$BUNDLE/bin/sweep" "\${@/device=cuda/device=cpu}"
STANDIN
printf '#!/bin/sh
echo "NVIDIA H200 (stand-in), 143771 MiB, 580.159.03, 9.0"
' >"$stand/path/nvidia-smi"
cat >"$stand/path/python3" <<STANDIN
#!/bin/bash
case "\$*" in
  *pytorch_gru_gpu_bench.py*)
    echo "pytorch_gru_gpu_bench: torch 2.11.0 (stand-in)"
    echo "RESULT engine=pytorch trainers=1 epochs=1 wall_s=4.500 s_per_trial_epoch=4.5000 trial_epochs_per_hour=800.0"
    echo "RESULT engine=pytorch trainers=4 epochs=1 wall_s=7.200 s_per_trial_epoch=1.8000 trial_epochs_per_hour=2000.0" ;;
  *"import torch"*) exit 0 ;;
  *) exec "$(command -v python3)" "\$@" ;;
esac
STANDIN
chmod +x "$stand"/bundle/bin/* "$stand"/path/*
started=$SECONDS
PATH="$stand/path:$PATH" scripts/gpu_check.sh --bundle "$stand/bundle" --quick --out "$stand/out" \
  >"$stand/console" 2>&1
rc=$?
check "stand-ins: gpu_check.sh's GPU path passes in $((SECONDS - started)) s (exit $rc)" $rc
summary="$stand/out/summary.md"
for expected in "| 1 | 3.600 | 1000.0 | 800.0 | 1.25× | 1.25× |" "| 4 | 1.200 | 3000.0 | 2000.0 | 1.50× | 3.75× |" \
                "| 16 | 0.600 | 6000.0 | — | — | 7.50× |" "(now 1.25×)" "(now 7.50×)" "step sweep_gpu: passed" \
                "step reproduce_gpu: passed" "step reproduce_cpu: passed" "identical: same epochs" \
                "step gpu_bench: passed" "step pytorch: passed" "eegsweep trainer: cuDNN 9.19.0"; do
  grep -qF -- "$expected" "$summary" 2>/dev/null
  check "stand-ins: summary.md has '$expected'" $?
done
files=$(find "$stand/out" -type f | wc -l)
check "stand-ins: gpu_check wrote $files files (limit 8)" $([[ $files -le 8 ]]; echo $?)
if ((FAILURES)); then
  echo "--- gpu_check output with stand-ins"
  cat "$stand/console"
fi
rm -rf "$stand"

if ((FAILURES)); then
  echo "gpu_rehearse: $FAILURES check(s) failed"
  exit 1
fi
echo "gpu_rehearse: every check holds"
