#!/usr/bin/env bash
# Claim/record throughput of the PostgreSQL unit queue (units/s with trivial training) against a
# throwaway local PostgreSQL 15 server, for 1, 4 and 8 workers; prints the BENCHMARKS.md table.
#
#   scripts/bench/run_claim_bench.sh [BUILD_DIR] [UNITS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build}"
units="${2:-2000}"
bench="$build/bench/claim_bench"
[[ -x "$bench" ]] || { echo "run_claim_bench: build $bench first (cmake --build $build --target claim_bench)" >&2; exit 1; }
state="$(mktemp -d)"
trap 'bash "$root/tests/cluster/pg_server.sh" stop "$state/pg"; rm -rf "$state"' EXIT
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPUs, $(date -u +%Y-%m-%d); PostgreSQL 15 on a Unix socket; 10 epochs + 3×3 confusion per unit"
echo "| durability | workers | units | seconds | units/s | claim p50 ms | claim p99 ms | record p50 ms | record p99 ms |"
echo "|---|---|---|---|---|---|---|---|---|"
# fsync on: PostgreSQL's default (every record commit waits for the disk); off: the test server.
for durable in on off; do
  EEGSWEEP_PG_FSYNC=$durable bash "$root/tests/cluster/pg_server.sh" start "$state/pg"
  if [[ -f "$state/pg/unavailable" ]]; then echo "run_claim_bench: $(cat "$state/pg/unavailable")" >&2; exit 1; fi
  url="$(cat "$state/pg/url")"
  for workers in 1 4 8; do
    printf '| fsync %s ' "$durable"
    "$bench" "$url" "$units" "$workers" 10
  done
  bash "$root/tests/cluster/pg_server.sh" stop "$state/pg"
done
