#!/usr/bin/env bash
# Fuzzes the sweep-file reader, the CSV reader and the Muse recording reader with libFuzzer
# (clang-14, AddressSanitizer + UndefinedBehaviorSanitizer), SECONDS each (default 60), starting
# from the seed corpus in tests/fuzz/corpus/. New interesting inputs go to build-fuzz/corpus/;
# a crash, leak or timeout stops that harness and leaves its input in build-fuzz/ (crash-*,
# leak-*, timeout-*): add it to tests/fuzz/corpus/ once fixed, so ctest replays it for good.
# Results are recorded in FUZZING.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"

packages=(clang-14 libfuzzer-14-dev)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "fuzz: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
  -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_CXX_FLAGS="$flags" -DEEGSWEEP_WITH_CUDA=OFF \
  -DEEGSWEEP_BUILD_TESTS=OFF -DEEGSWEEP_BUILD_FUZZERS=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_sweep_file fuzz_csv fuzz_muse_recording

status=0
for pair in sweep_file:sweep csv:csv muse_recording:muse; do
  harness="${pair%%:*}"
  seeds="tests/fuzz/corpus/${pair##*:}"
  work="build-fuzz/corpus/$harness"
  mkdir -p "$work"
  echo "fuzz: $harness for ${seconds}s"
  # -timeout=1: any input taking over a second is a finding; -rss_limit_mb bounds memory per input.
  (cd build-fuzz && ./fuzz/fuzz_"$harness" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 "../$work" "../$seeds" 2>&1 | tail -n 25) || status=1
done
exit $status
