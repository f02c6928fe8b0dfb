#!/usr/bin/env bash
# Installs the toolchain and libraries (Debian packages) and builds build/sweep. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make pkg-config libyaml-cpp-dev libsqlitecpp-dev libsqlite3-dev sqlite3 libpq-dev
          libgtest-dev libdnnl-dev libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
          node-d3)  # node-d3: the charts of `sweep report`, inlined at build time
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
echo "setup: built build/sweep"
