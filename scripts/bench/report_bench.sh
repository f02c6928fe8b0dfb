#!/usr/bin/env bash
# `sweep report` at scale: a synthetic store of TRIALS trials × FOLDS folds × EPOCHS epochs
# (default 500 × 5 × 50, the issue's size), generated with plain SQL against results/schema.sql,
# then the page's size and the time to write it (best of RUNS).
#
#   scripts/bench/report_bench.sh [TRIALS] [FOLDS] [EPOCHS] [RUNS]
#
# Needs build/sweep and sqlite3. Prints one line per run and a summary line.
set -euo pipefail
cd "$(dirname "$0")/../.."

trials=${1:-500}
folds=${2:-5}
epochs=${3:-50}
runs=${4:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/bench.db

# Scores are smooth functions of the parameters plus a hash-like wobble, so every chart has
# structure; 3 classes, every fold with 3×3 confusion cells, every trial completed.
{
  cat results/schema.sql
  cat <<SQL
INSERT INTO schema_version VALUES (2);  -- results/schema.sql is version 2
INSERT INTO sweeps (id, name, identity_hash, class_names, metric_name, maximize, seed, created_at,
                    dataset_source, dataset_rows, dataset_features, device, host, spec_text)
VALUES (1, 'bench', 'bench', '["NEGATIVE","NEUTRAL","POSITIVE"]', 'accuracy', 1, '42',
        '2026-12-01T00:00:00Z', 'synthetic', 2000, 64, 'cpu', 'bench',
        'name: bench
method: random
run_cap: $trials
data: {format: synthetic}
cv: {folds: $folds}
parameters:
  hidden_size: {values: [16, 32, 64, 128]}
  learning_rate: {distribution: log_uniform_values, min: 0.0001, max: 0.01}
  dropout: {min: 0.0, max: 0.5}
  head: {values: [last, mean, flatten]}
');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $trials)
INSERT INTO trials (id, sweep_id, number, params_json, params_hash, seed, status, started_at, finished_at)
SELECT i, 1, i,
       json_object('hidden_size', 16 << (i % 4), 'learning_rate', 0.0001 * pow(100, ((i * 37) % 101) / 100.0),
                   'dropout', ((i * 53) % 51) / 100.0, 'head', CASE i % 3 WHEN 0 THEN 'last' WHEN 1 THEN 'mean' ELSE 'flatten' END,
                   'epochs', $epochs),
       'h' || i, i, 'completed',
       strftime('%Y-%m-%dT%H:%M:%SZ', '2026-12-01T00:00:00', '+' || (i * 7) || ' seconds'),
       strftime('%Y-%m-%dT%H:%M:%SZ', '2026-12-01T00:00:00', '+' || (i * 7 + 20) || ' seconds')
FROM n;
INSERT INTO trial_params (trial_id, name, value, value_num)
SELECT t.id, j.key, j.value, CASE WHEN j.type IN ('integer', 'real') THEN j.value END
FROM trials t, json_each(t.params_json) j;
WITH RECURSIVE f(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM f WHERE k < $folds - 1)
INSERT INTO folds (trial_id, fold, train_rows, val_rows, best_epoch, loss, accuracy, precision_macro,
                   recall_macro, f1_macro, per_class, seconds)
SELECT t.id, f.k, 1280, 320, $epochs - 1 - ((t.id + f.k) % 7),
       0.5, 0.6 + 0.05 * (t.id % 4) + 0.01 * ((t.id * 13 + f.k * 7) % 10), 0.7, 0.7, 0.7,
       '{"precision":[0.7,0.7,0.7],"recall":[0.7,0.7,0.7],"f1":[0.7,0.7,0.7]}', 3.5
FROM trials t, f;
WITH RECURSIVE e(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM e WHERE k < $epochs - 1)
INSERT INTO epochs (trial_id, fold, epoch, train_loss, val_loss, val_accuracy, val_precision_macro,
                    val_recall_macro, val_f1_macro, seconds)
SELECT fo.trial_id, fo.fold, e.k, 1.1 / (1 + 0.1 * e.k), 1.2 / (1 + 0.08 * e.k) + 0.001 * e.k,
       fo.accuracy * (1 - exp(-0.15 * (e.k + 1))), 0.7, 0.7, 0.7, 0.07
FROM folds fo, e;
WITH RECURSIVE c(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM c WHERE k < 8)
INSERT INTO confusion (trial_id, fold, true_class, predicted_class, count)
SELECT fo.trial_id, fo.fold, c.k / 3, c.k % 3, CASE WHEN c.k / 3 = c.k % 3 THEN 80 ELSE 13 END
FROM folds fo, c;
UPDATE trials SET cv_mean = (SELECT avg(accuracy) FROM folds WHERE trial_id = trials.id),
                  cv_std = 0.01;
SQL
} | sqlite3 "$db"

echo "store: $trials trials × $folds folds × $epochs epochs, $(du -h "$db" | cut -f1) ($(sqlite3 "$db" 'select count(*) from epochs') epoch rows)"
# Wall time, and the process's CPU time (user + system), which a busy shared machine disturbs less.
TIMEFORMAT='%R %U %S'
best_wall="" best_cpu=""
for run in $(seq "$runs"); do
  read -r wall user sys < <({ time build/sweep report --db "$db" -o "$work/report.html" 2>/dev/null; } 2>&1)
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
  echo "run $run: ${wall} s wall, ${cpu} s cpu"
  if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then best_wall=$wall; fi
  if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then best_cpu=$cpu; fi
done
bytes=$(stat -c %s "$work/report.html")
awk -v b="$bytes" -v w="$best_wall" -v c="$best_cpu" -v runs="$runs" -v cores="$(nproc)" \
    -v model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
    -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "report: %d bytes (%.2f MiB); best of %d: %.3f s wall, %.3f s cpu; %s, %d cores, load average %s\n", b, b / 1048576, runs, w, c, model, cores, load }'
# REPORT_BENCH_KEEP=DIR keeps the store and the page there, to look at or profile.
if [ -n "${REPORT_BENCH_KEEP:-}" ]; then mkdir -p "$REPORT_BENCH_KEEP" && cp "$db" "$work/report.html" "$REPORT_BENCH_KEEP"; fi

# How long a browser takes to open the page and draw every section (load, parse, d3), when one is
# installed: the "stays responsive" half of the issue.
browser=$(command -v chromium-headless-shell || command -v chromium || true)
if [ -n "$browser" ]; then
  start=$(date +%s%N)
  timeout 300 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$work/profile" --dump-dom "file://$work/report.html" 2>/dev/null > "$work/dom.html"
  ns=$(( $(date +%s%N) - start ))
  drawn=$(grep -c 'data-report="drawn"' "$work/dom.html" || true)
  awk -v n="$ns" -v d="$drawn" -v b="$browser" \
    'BEGIN { printf "browser: %s started, opened and drew the page in %.2f s (drawn: %s)\n", b, n / 1e9, d ? "yes" : "NO" }'
  # The page's own timing of each section (ms), measured inside the browser.
  echo "page drawn $(grep -o 'data-drawn-after-ms="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*') ms after navigation started"
  echo "draw ms per section: $(grep -o 'data-draw-ms="[^"]*"' "$work/dom.html" | sed 's/data-draw-ms=//; s/&quot;/"/g')"
fi
