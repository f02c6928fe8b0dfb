#!/usr/bin/env bash
# eegsweep against the tool a user would pick instead, side by side in one run: Debian's Optuna
# 3.1 (TPESampler + HyperbandPruner) driving PyTorch's nn.GRU (scripts/bench/optuna_gru.py) on the
# same rows, folds, parameter space and epoch budget as `sweep run` with method bayes + hyperband.
# Per seed: eegsweep runs first (`-j 2`), then Optuna reads that run's split_rows and spec from
# its store (torch.set_num_threads(2)); each is timed by /usr/bin/time (wall, user + system).
# A benchmark, not a test: CI never runs it.
#
#   scripts/bench/optuna_bench.sh [--seeds "1 2 3"] [--budget 40] [--muse-budget 12] [--out DIR]
#                                 [--skip-muse] [--skip-synthetic] [--summary-only]
#
# --summary-only: no runs; rewrites DIR/summary.md from the results.tsv and trial files there.
#
# Needs build/sweep and build/bench/dataset_csv (a Release build: scripts/setup.sh) and Debian's
# python3-optuna and python3-torch for /usr/bin/python3. Bench-only dependencies: when either
# cannot be imported this script installs it with apt-get (python3-torch pulls in about 1 GiB of
# packages; root or sudo); scripts/setup.sh never does. Results: DIR (default bench-out/optuna):
# results.tsv, summary.md, each run's log, store and per-trial finish times.
set -euo pipefail
cd "$(dirname "$0")/../.."

seeds="1 2 3"
budget=40
muse_budget=12
out=bench-out/optuna
skip_muse=0
skip_synthetic=0
summary_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --budget) budget="$2"; shift 2 ;;
    --muse-budget) muse_budget="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --skip-muse) skip_muse=1; shift ;;
    --skip-synthetic) skip_synthetic=1; shift ;;
    --summary-only) summary_only=1; shift ;;
    *) echo "optuna_bench: unknown argument $1" >&2; exit 64 ;;
  esac
done

sweep=build/sweep
dataset_csv=build/bench/dataset_csv
for tool in "$sweep" "$dataset_csv"; do
  [ -x "$tool" ] || { echo "optuna_bench: $tool missing: run scripts/setup.sh (a Release build)" >&2; exit 1; }
done
# Debian's python, not a pyenv one first on PATH: the Debian packages are installed for it.
py=/usr/bin/python3
missing=()
$py -c 'import optuna' 2>/dev/null || missing+=(python3-optuna)
$py -c 'import torch' 2>/dev/null || missing+=(python3-torch)
if [ ${#missing[@]} -gt 0 ]; then
  echo "optuna_bench: installing ${missing[*]} (bench-only; python3-torch is about 1 GiB with its dependencies)" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  { $sudo_cmd apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 ||
    { echo "optuna_bench: could not install ${missing[*]} with apt-get; install them and rerun" >&2; exit 1; }
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ "$summary_only" = 0 ]; then
echo "## optuna_bench $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo
echo "- load before: $(uptime)"
echo "- machine: $(lscpu | sed -n 's/^\(Model name\|CPU(s)\|Thread(s) per core\|Hypervisor vendor\|L3\): *\(.*\)/\1 \2/p' | paste -sd ';')"
echo "- $($py -c 'import optuna, torch; print("optuna", optuna.__version__, "torch", torch.__version__)')"
echo "- seeds: $seeds; budget: $budget trials (synthetic), $muse_budget (muse)"
echo

# The synthetic space of search_bench.sh (240 points) and its Muse space (54 points), with
# cv.epoch_selection: fold so that both tools choose each fold's epoch on its validation rows.
cat > "$out/synthetic.yaml" <<'YAML'
name: optuna-synthetic
method: bayes
run_cap: 40
metric: {name: accuracy, goal: maximize}
data:
  format: synthetic
  synthetic: {rows: 600, features: 64, classes: 3, noise: 1.5, seed: 7}
test_split: 0.2
cv: {folds: 3, epoch_selection: fold}
device: cpu
early_terminate: {type: hyperband, max_iter: 27, s: 2, eta: 3}
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
cat > "$out/muse.yaml" <<YAML
name: optuna-muse
method: bayes
run_cap: 40
metric: {name: accuracy, goal: maximize}
data:
  format: muse
  path: $(pwd)/../shared/data/muse-mental-state
  classes: [relaxed, neutral, concentrating]
test_split: 0.2
cv: {folds: 3, group_by: recording, epoch_selection: fold}
device: cpu
early_terminate: {type: hyperband, max_iter: 27, s: 2, eta: 3}
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

printf 'data\tseed\ttool\ttrials\tpruned\twall_s\tcpu_s\tbest_cv\ttest_acc\ttrials_file\n' > "$out/results.tsv"

# timed NAME COMMAND...: runs it under /usr/bin/time; sets wall and cpu, and start (epoch s).
timed() {
  local name=$1; shift
  start=$(date +%s.%N)
  /usr/bin/time -f '%e %U %S' -o "$out/$name.time" "$@" > "$out/$name.log" 2>&1 ||
    { echo "optuna_bench: $name failed (see $out/$name.log)" >&2; return 1; }
  read -r wall user system < "$out/$name.time"
  cpu=$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.1f", u + s }')
}

# compare DATA SEED CAP: eegsweep then Optuna on DATA with SEED.
compare() {
  local data=$1 seed=$2 cap=$3 name="$1-$2"
  local db="$out/$name-eegsweep.db"
  rm -f "$db" "$db-wal" "$db-shm"
  timed "$name-eegsweep" "$sweep" run "$out/$data.yaml" --set "seed=$seed" --set "run_cap=$cap" --db "$db" -j 2
  # Trial finish times relative to the start, from the store's millisecond timestamps.
  sqlite3 -separator $'\t' "$db" "select number, status, cv_mean, finished_at from trials order by number" |
    $py -c '
import sys, datetime
start = float(sys.argv[1])
print("number\tstate\tvalue\tfinished_s")
for line in sys.stdin:
    number, status, value, finished = line.rstrip("\n").split("\t")
    t = datetime.datetime.strptime(finished, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()
    print(f"{number}\t{status}\t{value}\t{t - start:.3f}")' "$start" > "$out/$name-eegsweep.trials.tsv"
  local figures
  figures=$(sqlite3 -separator $'\t' "$db" "
    select (select count(*) from trials), (select count(*) from trials where status = 'pruned'),
           (select printf('%.4f', max(cv_mean)) from trials where status = 'completed'),
           (select printf('%.4f', r.accuracy) from final_runs r where r.kind = 'final')")
  IFS=$'\t' read -r trials pruned best test <<<"$figures"
  printf '%s\t%s\teegsweep\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$data" "$seed" "$trials" "$pruned" "$wall" "$cpu" \
    "$best" "$test" "$name-eegsweep.trials.tsv" | tee -a "$out/results.tsv"

  # Optuna's clock starts like eegsweep's, before the interpreter (imports and data load count).
  local t0
  t0=$(date +%s.%N)
  timed "$name-optuna" $py scripts/bench/optuna_gru.py --store "$db" --csv "$out/$data.csv" --seed "$seed" \
    --trials "$cap" --threads 2 --t0 "$t0" --out "$out/$name-optuna.trials.tsv"
  local summary
  summary=$(tail -1 "$out/$name-optuna.log")
  trials=$(sed -n 's/.*trials=\([0-9]*\).*/\1/p' <<<"$summary")
  pruned=$(sed -n 's/.*pruned=\([0-9]*\).*/\1/p' <<<"$summary")
  best=$(sed -n 's/.*best_cv=\([0-9.]*\).*/\1/p' <<<"$summary")
  test=$(sed -n 's/.*test_acc=\([0-9.]*\).*/\1/p' <<<"$summary")
  printf '%s\t%s\toptuna\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$data" "$seed" "$trials" "$pruned" "$wall" "$cpu" \
    "$best" "$test" "$name-optuna.trials.tsv" | tee -a "$out/results.tsv"
}

datasets=()
[ "$skip_synthetic" = 0 ] && datasets+=(synthetic)
if [ "$skip_muse" = 0 ]; then
  if [ -d ../shared/data/muse-mental-state ]; then
    datasets+=(muse)
  else
    echo "optuna_bench: ../shared/data/muse-mental-state missing: Muse runs skipped" >&2
  fi
fi
for data in "${datasets[@]}"; do
  "$dataset_csv" "$out/$data.yaml" "$out/$data.csv" > /dev/null
  cap=$budget
  [ "$data" = muse ] && cap=$muse_budget
  for seed in $seeds; do compare "$data" "$seed" "$cap"; done
done

echo
echo "- load after: $(uptime)"
echo
fi
# Time to the same best: target = min(best CV of eegsweep, best CV of Optuna) − 0.01 for that
# data and seed; a tool's time to it is the wall time from its start until the first of its
# trials with a completed CV mean ≥ target finished. "to the other's best": the same with target =
# the other tool's best CV − 0.01 ("never" when none of its trials got there).
$py - "$out" > "$out/summary.md" <<'PY'
import collections, csv, math, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/results.tsv"), delimiter="\t"))
def time_to(trials_file, target):
    for t in csv.DictReader(open(f"{out}/{trials_file}"), delimiter="\t"):
        # eegsweep says "completed", Optuna "complete".
        if t["state"] in ("completed", "complete") and t["value"] and float(t["value"]) >= target - 1e-9:
            return float(t["finished_s"])
    return float("nan")
pairs = collections.OrderedDict()
for r in rows:
    pairs.setdefault((r["data"], r["seed"]), {})[r["tool"]] = r
print("| data | seed | tool | trials | pruned | wall s | CPU s | best CV | test acc | target | wall s to target | wall s to the other's best − 0.01 |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
ratios = collections.defaultdict(lambda: collections.defaultdict(list))
for (data, seed), tools in pairs.items():
    if set(tools) != {"eegsweep", "optuna"}:
        continue
    target = min(float(t["best_cv"]) for t in tools.values()) - 0.01
    reach = {}
    for name, other in (("eegsweep", "optuna"), ("optuna", "eegsweep")):
        t = tools[name]
        reach[name] = time_to(t["trials_file"], target)
        to_other = time_to(t["trials_file"], float(tools[other]["best_cv"]) - 0.01)
        print(f"| {data} | {seed} | {name} | {t['trials']} | {t['pruned']} | {float(t['wall_s']):.1f} | "
              f"{float(t['cpu_s']):.1f} | {float(t['best_cv']):.4f} | {float(t['test_acc']):.4f} | "
              f"{target:.4f} | {reach[name]:.1f} | {'never' if math.isnan(to_other) else f'{to_other:.1f}'} |")
    e, o = tools["eegsweep"], tools["optuna"]
    ratios[data]["total wall"].append(float(o["wall_s"]) / float(e["wall_s"]))
    ratios[data]["CPU s"].append(float(o["cpu_s"]) / float(e["cpu_s"]))
    ratios[data]["wall to target"].append(reach["optuna"] / reach["eegsweep"])
    ratios[data]["best CV (optuna − eegsweep)"].append(float(o["best_cv"]) - float(e["best_cv"]))
print()
print("| data | seeds | Optuna / eegsweep: total wall | CPU s | wall to target | best CV, Optuna − eegsweep |")
print("|---|---|---|---|---|---|")
for data, r in ratios.items():
    def span(values, fmt):
        values = sorted(values)
        return f"{fmt.format(sum(values) / len(values))} ({fmt.format(values[0])}–{fmt.format(values[-1])})"
    print(f"| {data} | {len(r['CPU s'])} | {span(r['total wall'], '{:.1f}×')} | {span(r['CPU s'], '{:.1f}×')} | "
          f"{span(r['wall to target'], '{:.1f}×')} | {span(r['best CV (optuna − eegsweep)'], '{:+.4f}')} |")
PY
cat "$out/summary.md"
