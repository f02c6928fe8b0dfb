#!/usr/bin/env bash
# Compute to reach the best trial (hyperband: max_iter 27, s 2, eta 3 → bands [3, 9] epochs): grid, random, bayes (TPE), bayes + hyperband and bayes + the
# fold-aware forgiving rule, over several seeds, on synthetic data (a 240-point space) and on the
# Muse recordings (grouped CV). Per run: units and epochs trained, CPU seconds, best CV, and the
# best trial's held-out test accuracy. A benchmark, not a test: CI never runs it.
#
#   scripts/bench/search_bench.sh [--seeds "1 2 3"] [--budget 40] [--muse-budget 12] [--out DIR] [--skip-muse]
#                                 [--skip-synthetic]                                 [--methods "grid random bayes bayes+hyperband bayes+forgiving"] [--append]
#
# Prints one row per run and a summary (means over seeds) as Markdown; everything lands in DIR
# (default bench-out/search): the sweep files, the databases, the logs, results.tsv, summary.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

seeds="1 2 3"
budget=40
muse_budget=12
out=bench-out/search
skip_muse=0
skip_synthetic=0
methods=(grid random bayes bayes+hyperband bayes+forgiving)
append=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --muse-budget) muse_budget="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --skip-muse) skip_muse=1; shift ;;
    --skip-synthetic) skip_synthetic=1; shift ;;
    --methods) read -r -a methods <<<"$2"; shift 2 ;;
    --append) append=1; shift ;;
    *) echo "search_bench: unknown argument $1" >&2; exit 64 ;;
  esac
done

sweep=build/sweep
[ -x "$sweep" ] || { echo "search_bench: build/sweep missing: run scripts/setup.sh" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

echo "## search_bench $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo
echo "- load: $(uptime)"
echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "- seeds: $seeds; budget: $budget trials (synthetic), $muse_budget (muse)"
echo

# 4 hidden × 5 learning rates × 2 dropout × 2 heads × 3 shapes = 240 points.
cat > "$out/synthetic.yaml" <<'YAML'
name: search-synthetic
method: grid
metric: {name: accuracy, goal: maximize}
data:
  format: synthetic
  synthetic: {rows: 600, features: 64, classes: 3, noise: 1.5, seed: 7}
test_split: 0.2
cv: {folds: 3}
device: cpu
parameters:
  hidden_size: {values: [4, 8, 16, 32]}
  learning_rate: {values: [0.0003, 0.001, 0.003, 0.01, 0.03]}
  dropout: {values: [0.0, 0.3]}
  head: {values: [last, mean]}
  timesteps: {values: [4, 8, 16]}
  batch_size: {value: 32}
  epochs: {value: 12}
  patience: {value: 0}
YAML

# 3 hidden × 3 shapes × 3 learning rates × 2 dropout = 54 points, folds grouped by recording.
cat > "$out/muse.yaml" <<YAML
name: search-muse
method: grid
metric: {name: accuracy, goal: maximize}
data:
  format: muse
  path: $(pwd)/../shared/data/muse-mental-state
  classes: [relaxed, neutral, concentrating]
test_split: 0.2
cv: {folds: 3, group_by: recording}
device: cpu
parameters:
  hidden_size: {values: [8, 16, 32]}
  timesteps: {values: [10, 20, 49]}
  learning_rate: {values: [0.001, 0.003, 0.01]}
  dropout: {values: [0.0, 0.3]}
  head: {value: last}
  batch_size: {value: 32}
  epochs: {value: 9}
  patience: {value: 0}
YAML

[ "$append" = 1 ] && [ -f "$out/results.tsv" ] ||
  printf 'data\tmethod\tseed\ttrials\tpruned\tunits\tepochs\tcpu_s\tbest_cv\ttest_acc\n' > "$out/results.tsv"

# run DATA METHOD SEED BUDGET: one sweep, its figures appended to results.tsv.
run() {
  local data=$1 method=$2 seed=$3 cap=$4
  local db="$out/$data-$method-$seed.db" log="$out/$data-$method-$seed.log"
  local sets=(--set "seed=$seed")
  case "$method" in
    grid) ;;
    random) sets+=(--set method=random --set "run_cap=$cap") ;;
    bayes) sets+=(--set method=bayes --set "run_cap=$cap") ;;
    bayes+hyperband) sets+=(--set method=bayes --set "run_cap=$cap" --set early_terminate.type=hyperband
                             --set early_terminate.max_iter=27 --set early_terminate.s=2
                             --set early_terminate.eta=3) ;;
    bayes+forgiving) sets+=(--set method=bayes --set "run_cap=$cap" --set early_terminate.type=cv_forgiving) ;;
  esac
  rm -f "$db" "$db-wal" "$db-shm"
  /usr/bin/time -f '%U %S' -o "$out/time.txt" "$sweep" run "$out/$data.yaml" "${sets[@]}" --db "$db" -j "$(nproc)" \
    > "$log" 2>&1 || { echo "search_bench: $data $method seed $seed failed (see $log)" >&2; return 1; }
  local cpu
  cpu=$(awk '{printf "%.1f", $1 + $2}' "$out/time.txt")
  local figures
  figures=$(sqlite3 -separator $'\t' "$db" "
    select (select count(*) from trials),
           (select count(*) from trials where status = 'pruned'),
           (select count(*) from folds),
           (select count(*) from epochs),
           (select printf('%.4f', max(cv_mean)) from trials where status = 'completed'),
           (select printf('%.4f', r.accuracy) from final_runs r where r.kind = 'final')")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$data" "$method" "$seed" "$(cut -f1-4 <<<"$figures")" "$cpu" \
    "$(cut -f5-6 <<<"$figures")" >> "$out/results.tsv"
  tail -1 "$out/results.tsv"
}

if [ "$skip_synthetic" = 0 ]; then
  for seed in $seeds; do
    for m in "${methods[@]}"; do run synthetic "$m" "$seed" "$budget"; done
  done
fi
if [ "$skip_muse" = 0 ]; then
  if [ -d ../shared/data/muse-mental-state ]; then
    for seed in $seeds; do
      for m in "${methods[@]}"; do run muse "$m" "$seed" "$muse_budget"; done
    done
  else
    echo "search_bench: ../shared/data/muse-mental-state missing: Muse runs skipped" >&2
  fi
fi

# Means over seeds; "reached" counts seeds whose best CV is within 0.01 of that seed's grid best.
python3 - "$out/results.tsv" > "$out/summary.md" <<'PY'
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
grid = {(r['data'], r['seed']): float(r['best_cv'] or 'nan') for r in rows if r['method'] == 'grid'}
groups = collections.OrderedDict()
for r in rows:
    groups.setdefault((r['data'], r['method']), []).append(r)
print('| data | method | runs | trials | pruned | units | epochs | CPU s | best CV | test acc | epochs vs grid | within 0.01 of grid best |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|')
for (data, method), rs in groups.items():
    mean = lambda k: sum(float(r[k] or 'nan') for r in rs) / len(rs)
    grid_epochs = [float(x['epochs']) for x in rows if x['data'] == data and x['method'] == 'grid']
    share = mean('epochs') / (sum(grid_epochs) / len(grid_epochs)) if grid_epochs else float('nan')
    reached = sum(1 for r in rs if (data, r['seed']) in grid and r['best_cv'] and
                  float(r['best_cv']) >= grid[(data, r['seed'])] - 0.01)
    print(f"| {data} | {method} | {len(rs)} | {mean('trials'):.0f} | {mean('pruned'):.1f} | {mean('units'):.0f} | "
          f"{mean('epochs'):.0f} | {mean('cpu_s'):.0f} | {mean('best_cv'):.4f} | {mean('test_acc'):.4f} | "
          f"{share:.2f} | {reached}/{len(rs)} |")
PY
echo
cat "$out/summary.md"
