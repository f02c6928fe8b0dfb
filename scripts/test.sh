#!/usr/bin/env bash
# Builds (if needed) and runs every test. GPU tests skip, saying why, where there is no GPU;
# tests that need ../shared/data skip, saying so, where it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
