#!/usr/bin/env bash
# What the evaluation changes on the shared Muse recordings (README, "Why random-window CV
# overstates accuracy"; BENCHMARKS.md): sweeps/mental-state.yaml's grid under six evaluations —
# leave-one-subject-out, folds grouped by recording, random windows — each with epochs chosen on an
# inner split (the default) or on the validation fold itself. Prints one line per evaluation:
# the best trial's cv mean, the mean over all trials, and the held-out test score where there is one.
#   scripts/bench/honest_evaluation.sh [OUT_DIR]   (default /tmp/eegsweep-honest; needs ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/../.."
sweep=$PWD/build/sweep
file=$PWD/sweeps/mental-state.yaml
out=${1:-/tmp/eegsweep-honest}
mkdir -p "$out"
[ -d ../shared/data/muse-mental-state ] || { echo "no ../shared/data/muse-mental-state: nothing to measure"; exit 77; }

run() {  # name, then --set overrides
  local name=$1; shift
  local args=()
  for s in "$@"; do args+=(--set "$s"); done
  (cd "$out" && "$sweep" run "$file" --set name="$name" "${args[@]}" --fresh > "$name.log" 2>&1) || true
  local db=$out/results/$name.db
  local best all test
  best=$(sqlite3 "$db" "select printf('%.3f', max(cv_mean)) from trials where status='completed'")
  all=$(sqlite3 "$db" "select printf('%.3f', avg(cv_mean)) from trials where status='completed'")
  test=$(sqlite3 "$db" "select printf('%.3f (balanced %.3f)', accuracy, recall_macro) from final_runs where kind='final'")
  printf '%-22s best cv %s  mean cv over trials %s  test %s\n' "$name" "$best" "$all" "${test:--}"
}

run loso-inner
run loso-fold cv.epoch_selection=fold
run recording-inner cv.method=kfold cv.group_by=recording test_split=0.2
run recording-fold cv.method=kfold cv.group_by=recording test_split=0.2 cv.epoch_selection=fold
run random-inner cv.method=kfold cv.group_by= test_split=0.2
run random-fold cv.method=kfold cv.group_by= test_split=0.2 cv.epoch_selection=fold
