#!/usr/bin/env bash
# Builds here what the GPU check runs there, so that the GPU machine (no network, no Debian
# packages, only its CUDA toolkit, cuDNN wheel and PyTorch) builds nothing:
#
#   scripts/gpu_bundle.sh [--out DIR] [--build-dir DIR] [--jobs N]
#
# Release build with CMAKE_CUDA_ARCHITECTURES=90 (H100/H200 machine code, no PTX JIT) of sweep,
# test_cuda and gpu_bench in build-gpu/, then one folder (default gpu-bundle/, git-ignored):
#   bin/          sweep, test_cuda, gpu_bench (no RUNPATH: gpu_check.sh sets LD_LIBRARY_PATH)
#   lib/          every shared library they need (per ldd) that is neither the C library nor
#                 CUDA/cuDNN: oneDNN, yaml-cpp, spdlog, fmt, sqlite, libgomp, …
#   lib-compat/   libstdc++ and libgcc_s, used only where the machine's own are too old
#   share/        the demo sweep file and the PyTorch comparison script
#   MANIFEST      every file with its size, sha256 and origin; what was left to the machine
# Nothing from the CUDA toolkit or cuDNN goes in: the GPU machine has its own.
# Fails if the folder reaches 60 MiB (the device tool carries 64 MiB in all).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=gpu-bundle
BUILD_DIR=build-gpu
JOBS=$(nproc)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --build-dir) BUILD_DIR=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    *) echo "gpu_bundle: unknown option $1 (see the comment at the top)" >&2; exit 2 ;;
  esac
done
LIMIT_BYTES=$((60 * 1024 * 1024))

command -v nvcc >/dev/null || [[ -x /usr/local/cuda/bin/nvcc ]] ||
  { echo "gpu_bundle: nvcc not found: the bundle needs the CUDA build" >&2; exit 1; }
export PATH="$PATH:/usr/local/cuda/bin"

echo "gpu_bundle: building sweep, test_cuda, gpu_bench in $BUILD_DIR (Release, sm_90)"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 \
  -DEEGSWEEP_WITH_CUDA=ON -DEEGSWEEP_BUILD_TESTS=ON -DCMAKE_SKIP_RPATH=ON >/dev/null
cmake --build "$BUILD_DIR" --target sweep test_cuda gpu_bench -j"$JOBS"

programs=("$BUILD_DIR/sweep" "$BUILD_DIR/tests/test_cuda" "$BUILD_DIR/bench/gpu_bench")

# Which libraries stay with the machine. The C library family comes with every Linux; CUDA and
# cuDNN must be the machine's own (they match its driver). Everything else travels.
is_c_library() {
  [[ $1 =~ ^(linux-vdso|ld-linux|libc|libm|libdl|libpthread|librt|libresolv|libutil)[.-] ]]
}
is_cuda_library() {
  [[ $1 =~ ^lib(cuda|cudart|cublas|cublasLt|cudnn[a-z_]*|nvrtc|nvJitLink|cufft|curand|cusparse|cusolver|nvToolsExt)\.so ]]
}
is_compat_library() {
  [[ $1 =~ ^(libstdc\+\+|libgcc_s)\.so ]]
}

rm -rf "$OUT"
mkdir -p "$OUT/bin" "$OUT/lib" "$OUT/lib-compat" "$OUT/share"
for p in "${programs[@]}"; do cp "$p" "$OUT/bin/"; done
strip --strip-unneeded "$OUT"/bin/* 2>/dev/null || true
cp sweeps/grid.yaml scripts/bench/pytorch_gru_gpu_bench.py "$OUT/share/"

declare -A origin=()
left_to_machine=()
while read -r name path; do
  if is_c_library "$name" || is_cuda_library "$name"; then
    left_to_machine+=("$name")
    continue
  fi
  [[ $path == /* ]] || { echo "gpu_bundle: $name is not found here (ldd: $path)" >&2; exit 1; }
  dest="$OUT/lib"
  is_compat_library "$name" && dest="$OUT/lib-compat"
  cp -L "$path" "$dest/$name"
  origin[$name]="$(readlink -f "$path")"
done < <(ldd "${programs[@]}" | awk '/=>/ {print $1, $3} /^\t\/.*ld-linux/ {print "ld-linux-x86-64.so.2", $1}' |
         sort -u)
chmod 644 "$OUT"/lib/* "$OUT"/lib-compat/*

bytes=$(du -sb "$OUT" | cut -f1)
{
  echo "# eegsweep GPU bundle (scripts/gpu_bundle.sh). Run: scripts/gpu_check.sh --bundle $OUT [--quick]"
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -m)"
  echo "commit: $(git rev-parse HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "compilers: $(c++ --version | head -1); $(nvcc --version | tail -2 | head -1)"
  echo "cuda architectures: 90; cuDNN headers $(awk '/define CUDNN_(MAJOR|MINOR|PATCHLEVEL) /{printf "%s%s", s, $3; s="."}' \
    "$(dirname "$(command -v nvcc)")/../include/cudnn_version.h" 2>/dev/null)"
  echo "left to the GPU machine: ${left_to_machine[*]}"
  echo "needs: $(objdump -T "$OUT"/bin/* "$OUT"/lib/* 2>/dev/null | grep -o 'GLIBC_2\.[0-9]*' | sort -uV | tail -1) \
(the machine's C library), $(objdump -T "$OUT"/bin/* "$OUT"/lib/* 2>/dev/null | grep -o 'GLIBCXX_[0-9.]*' | sort -uV | tail -1) \
(the machine's libstdc++, else lib-compat's)"
  echo "total bytes: $bytes"
  echo
  echo "# size sha256 path [origin]"
  (cd "$OUT" && find . -type f ! -name MANIFEST | sort | while read -r f; do
    name=$(basename "$f")
    printf '%s %s %s %s\n' "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -c1-64)" "${f#./}" "${origin[$name]:-}"
  done)
} >"$OUT/MANIFEST"

echo "gpu_bundle: $OUT holds $(find "$OUT" -type f | wc -l) files, $((bytes / 1024 / 1024)) MiB ($bytes bytes)"
echo "gpu_bundle: left to the GPU machine: ${left_to_machine[*]}"
if ((bytes >= LIMIT_BYTES)); then
  echo "gpu_bundle: $bytes bytes is over the 60 MiB limit" >&2
  exit 1
fi
