#!/usr/bin/env bash
# Adam on the GPU must round every operation as the CPU does (training_rules.h adam_update):
# the PTX nvcc emits for adam_kernel may hold no fused multiply-add. Runs without a GPU; the
# GPU test AdamMatchesCpuBitForBit checks the same on a device, bit for bit.
#   adam_ptx_has_no_fma.sh NVCC SOURCE_DIR
set -euo pipefail
nvcc=$1
source_dir=$2
ptx=$(mktemp)
trap 'rm -f "$ptx"' EXIT
"$nvcc" -ptx -arch=sm_90 -std=c++17 -I"$source_dir" "$source_dir/cuda/kernels.cu" -o "$ptx"
adam=$(awk '/\.entry .*adam_kernel/,/^}/' "$ptx")
[[ -n $adam ]] || { echo "adam_kernel not found in the PTX of cuda/kernels.cu"; exit 1; }
arithmetic=$(grep -oE '\b(fma|mad|add|sub|mul|div|sqrt)(\.[a-z0-9]+)*\.f32' <<<"$adam" | sort | uniq -c)
echo "adam_kernel's float arithmetic:"
echo "$arithmetic"
if grep -qE '\b(fma|mad)\.' <<<"$adam"; then
  echo "FAILED: adam_kernel fuses a multiply and an add; the CPU rounds each"
  exit 1
fi
# Every float add/sub/mul/div/sqrt carries an explicit .rn: ptxas may not contract those.
if grep -E '\b(add|sub|mul|div|sqrt)\.f32' <<<"$adam"; then
  echo "FAILED: float arithmetic without an explicit rounding mode (ptxas may fuse it)"
  exit 1
fi
echo "ok: no fused multiply-add in adam_kernel"
