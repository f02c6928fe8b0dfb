#!/usr/bin/env bash
# A refactor's check that results did not move: runs the demo sweep with two `sweep` binaries
# (e.g. one built from main before the change, one after) and compares their
# `sweep export --format json`, less what differs by nature (times, host, the spec's path).
#   scripts/compare_exports.sh OLD_SWEEP NEW_SWEEP [SWEEP_FILE]
set -euo pipefail
old=$(realpath "$1") new=$(realpath "$2")
spec=$(realpath "${3:-$(dirname "$0")/../sweeps/grid.yaml}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
strip='
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items()
                if k not in ("seconds", "created_at", "started_at", "finished_at", "host", "spec_path")}
    return [strip(v) for v in o] if isinstance(o, list) else o
print(json.dumps(strip(json.load(sys.stdin)), indent=1, sort_keys=True))'
for side in old new; do
  mkdir -p "$work/$side"
  binary=${!side}
  (cd "$work/$side" && "$binary" run "$spec" --db run.db >run.log 2>&1 &&
   "$binary" export --db run.db --format json | python3 -c "$strip" >export.json)
done
if diff -q "$work/old/export.json" "$work/new/export.json" >/dev/null; then
  echo "identical: $(wc -l <"$work/new/export.json") lines of export JSON (times, host and spec path aside)"
else
  diff "$work/old/export.json" "$work/new/export.json" | head -40
  exit 1
fi
