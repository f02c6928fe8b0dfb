#!/usr/bin/env bash
# Builds (if needed) and runs every test. GPU tests skip, saying why, where there is no GPU;
# tests that need ../shared/data skip, saying so, where it is absent.
#
#   scripts/test.sh [CTEST ARGS…]             Release build in build/, then ctest
#   scripts/test.sh --sanitize [CTEST ARGS…]  AddressSanitizer + UndefinedBehaviorSanitizer build in
#                                             build-sanitize/ (CPU only), the whole suite under it
#   scripts/test.sh --coverage [CTEST ARGS…]  instrumented build in build-coverage/, then ctest and
#                                             a table of line and branch coverage per folder (gcovr)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=release
case "${1:-}" in
  --sanitize | --coverage) mode=${1#--}; shift ;;
esac

install_missing() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "test: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
}

# The report's browser test draws the page in Debian's headless Chromium. Without it (no
# network) that test says so and skips; everything else still runs.
install_missing chromium-headless-shell ||
  echo "test: could not install chromium-headless-shell; the report's browser checks will skip"
# The cluster tests' servers (tests/cluster): a throwaway PostgreSQL 15 and a single-node Slurm,
# started by ctest fixtures and stopped by their pid files; the tests skip, saying why, where they
# cannot start.
install_missing postgresql-15 slurm-wlm munge ||
  echo "test: could not install postgresql-15, slurm-wlm, munge; the cluster tests will skip"

case "$mode" in
  release)
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j"$(nproc)"
    cd build
    ctest --output-on-failure -j"$(nproc)" "$@"
    ;;
  sanitize)
    # CUDA stays out: its runtime does not run under AddressSanitizer. Any report fails the test.
    cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEEGSWEEP_WITH_CUDA=OFF \
      -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
      -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    cmake --build build-sanitize -j"$(nproc)"
    cd build-sanitize
    ctest --output-on-failure -j"$(nproc)" "$@"
    ;;
  coverage)
    install_missing gcovr
    # -O0 so that lines and branches map to the source; atomic counters because tests run
    # several processes and threads at once; CUDA off: its code cannot run here.
    cmake -S . -B build-coverage -DCMAKE_BUILD_TYPE=Debug -DEEGSWEEP_WITH_CUDA=OFF \
      -DCMAKE_CXX_FLAGS="--coverage -O0 -fprofile-update=atomic" -DCMAKE_EXE_LINKER_FLAGS="--coverage" >/dev/null
    cmake --build build-coverage -j"$(nproc)"
    find build-coverage -name '*.gcda' -delete
    (cd build-coverage && ctest --output-on-failure -j"$(nproc)" "$@")
    gcovr --root . --object-directory build-coverage --filter 'engine/' --filter 'results/' \
      --filter 'cuda/' --gcov-exclude '.*CompilerId.*' --gcov-ignore-parse-errors \
      --exclude-unreachable-branches --exclude-throw-branches \
      --json-summary build-coverage/coverage.json >/dev/null
    scripts/coverage_table.py build-coverage/coverage.json
    ;;
esac
