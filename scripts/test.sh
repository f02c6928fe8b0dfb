#!/usr/bin/env bash
# Builds (if needed) and runs every test. GPU tests skip, saying why, where there is no GPU;
# tests that need ../shared/data skip, saying so, where it is absent.
#
#   scripts/test.sh [CTEST ARGS…]             Release build in build/
#   scripts/test.sh --sanitize [CTEST ARGS…]  AddressSanitizer + UndefinedBehaviorSanitizer build in
#                                             build-sanitize/ (CPU only), the whole suite under it
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--sanitize" ]; then
  shift
  build=build-sanitize
  # CUDA stays out: its runtime does not run under AddressSanitizer. Any report fails the test.
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEEGSWEEP_WITH_CUDA=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
else
  build=build
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
