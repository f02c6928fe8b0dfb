-- eegsweep results store, schema version 2 (kSchemaVersion in results/store.h).
-- CMake embeds this text in the binary (schema_sql.h.in → build/generated/results/schema_sql.h):
-- a built binary does not need the source tree.
--
-- Conventions: times are ISO-8601 UTC text; JSON columns are checked with json_valid(); seeds are
-- unsigned 64-bit values kept as decimal TEXT, because an INTEGER column would turn seeds above
-- 2^63 into lossy REALs (the TEXT affinity still makes `seed = 42` match).

CREATE TABLE schema_version (
  version INTEGER NOT NULL
);

CREATE TABLE sweeps (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  spec_path        TEXT NOT NULL DEFAULT '',
  spec_text        TEXT NOT NULL DEFAULT '',
  identity_hash    TEXT NOT NULL,
  overrides_json   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(overrides_json)),
  dataset_source   TEXT NOT NULL DEFAULT '',
  dataset_hash     TEXT NOT NULL DEFAULT '',
  dataset_rows     INTEGER NOT NULL DEFAULT 0,
  dataset_features INTEGER NOT NULL DEFAULT 0,
  class_names      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(class_names)),
  metric_name      TEXT NOT NULL,
  maximize         INTEGER NOT NULL CHECK (maximize IN (0, 1)),
  seed             TEXT NOT NULL,
  engine_version   TEXT NOT NULL DEFAULT '',
  host             TEXT NOT NULL DEFAULT '',
  device           TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL
);
CREATE INDEX sweeps_by_identity ON sweeps (name, identity_hash);

-- A trial's identity is its parameters' hash: rerunning a sweep file finds its finished trials.
CREATE TABLE trials (
  id          INTEGER PRIMARY KEY,
  sweep_id    INTEGER NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  number      INTEGER NOT NULL,
  params_json TEXT NOT NULL CHECK (json_valid(params_json)),
  params_hash TEXT NOT NULL,
  seed        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'running', 'completed', 'pruned', 'failed')),
  error       TEXT,
  owner       TEXT,  -- "host:pid:start:boot" of the process running it (older: "host:pid"); NULL unless running
  started_at  TEXT,
  finished_at TEXT,
  cv_mean     REAL,  -- of the sweep's metric over the folds
  cv_std      REAL,
  UNIQUE (sweep_id, params_hash),
  UNIQUE (sweep_id, number)
);
CREATE INDEX trials_by_status ON trials (sweep_id, status, number);

-- One row per parameter, so that plain SQL can filter: value_num holds the value when it is a
-- number (NULL otherwise), e.g. `where name = 'lr' and value_num < 1e-3`.
CREATE TABLE trial_params (
  trial_id  INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  name      TEXT NOT NULL,
  value     TEXT NOT NULL,
  value_num REAL,
  PRIMARY KEY (trial_id, name)
);
CREATE INDEX trial_params_by_value ON trial_params (name, value_num);

-- Validation metrics of one cross-validation fold, at its best epoch (epochs from 0).
-- per_class: {"precision": [...], "recall": [...], "f1": [...]}, indexed by class.
CREATE TABLE folds (
  trial_id        INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  fold            INTEGER NOT NULL,
  train_rows      INTEGER NOT NULL,
  val_rows        INTEGER NOT NULL,
  best_epoch      INTEGER NOT NULL,
  loss            REAL,
  accuracy        REAL,
  precision_macro REAL,
  recall_macro    REAL,
  f1_macro        REAL,
  per_class       TEXT NOT NULL CHECK (json_valid(per_class)),
  seconds         REAL NOT NULL DEFAULT 0,
  backend_detail  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (trial_id, fold)
);

-- The learning curve of a fold (macro validation metrics; per-class values only at the best
-- epoch, in folds). Deleting or replacing a fold deletes its epochs.
CREATE TABLE epochs (
  trial_id            INTEGER NOT NULL,
  fold                INTEGER NOT NULL,
  epoch               INTEGER NOT NULL,
  train_loss          REAL,
  val_loss            REAL,
  val_accuracy        REAL,
  val_precision_macro REAL,
  val_recall_macro    REAL,
  val_f1_macro        REAL,
  seconds             REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (trial_id, fold, epoch),
  FOREIGN KEY (trial_id, fold) REFERENCES folds (trial_id, fold) ON DELETE CASCADE
);

-- The scores of a trial retrained on all non-test rows and evaluated once on the held-out test
-- rows: "final" after the sweep, "reproduce" for each later check.
CREATE TABLE final_runs (
  id              INTEGER PRIMARY KEY,
  trial_id        INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  kind            TEXT NOT NULL CHECK (kind IN ('final', 'reproduce')),
  epochs          INTEGER NOT NULL,
  loss            REAL,
  accuracy        REAL,
  precision_macro REAL,
  recall_macro    REAL,
  f1_macro        REAL,
  per_class       TEXT NOT NULL CHECK (json_valid(per_class)),
  weights_hash    TEXT NOT NULL DEFAULT '',
  device          TEXT NOT NULL DEFAULT '',
  seconds         REAL NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL
);
CREATE INDEX final_runs_by_trial ON final_runs (trial_id);
-- A trial has at most one "final" score: two processes finishing a sweep together record it once.
CREATE UNIQUE INDEX final_runs_one_final ON final_runs (trial_id) WHERE kind = 'final';

-- Confusion matrices as data, every cell (zeros included). A row belongs either to a fold's
-- validation rows (fold set) or to a final run's test rows (final_run_id set), never both.
CREATE TABLE confusion (
  trial_id        INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  fold            INTEGER,
  final_run_id    INTEGER REFERENCES final_runs (id) ON DELETE CASCADE,
  true_class      INTEGER NOT NULL,
  predicted_class INTEGER NOT NULL,
  count           INTEGER NOT NULL CHECK (count >= 0),
  CHECK ((fold IS NULL) <> (final_run_id IS NULL)),
  FOREIGN KEY (trial_id, fold) REFERENCES folds (trial_id, fold) ON DELETE CASCADE
);
CREATE INDEX confusion_by_trial ON confusion (trial_id, fold);
CREATE UNIQUE INDEX confusion_fold_cells ON confusion (trial_id, fold, true_class, predicted_class)
  WHERE fold IS NOT NULL;
CREATE UNIQUE INDEX confusion_final_cells ON confusion (final_run_id, true_class, predicted_class)
  WHERE final_run_id IS NOT NULL;

-- Confusion cells with the sweep's class names; source is 'fold', 'final' or 'reproduce'.
CREATE VIEW confusion_named AS
SELECT s.id AS sweep_id,
       s.name AS sweep,
       t.number AS trial,
       c.trial_id,
       CASE WHEN c.fold IS NOT NULL THEN 'fold' ELSE r.kind END AS source,
       c.fold,
       c.final_run_id,
       c.true_class,
       json_extract(s.class_names, '$[' || c.true_class || ']') AS true_name,
       c.predicted_class,
       json_extract(s.class_names, '$[' || c.predicted_class || ']') AS predicted_name,
       c.count
FROM confusion c
JOIN trials t ON t.id = c.trial_id
JOIN sweeps s ON s.id = t.sweep_id
LEFT JOIN final_runs r ON r.id = c.final_run_id;

-- Completed trials ranked within their sweep by cv_mean (descending when the sweep maximizes its
-- metric), with the other metrics averaged over folds. Newest sweep first, best trial first; ties
-- share a rank and list the lower trial number first.
CREATE VIEW leaderboard AS
WITH fold_means AS (
  SELECT trial_id,
         COUNT(*) AS folds,
         AVG(loss) AS loss,
         AVG(accuracy) AS accuracy,
         AVG(precision_macro) AS precision_macro,
         AVG(recall_macro) AS recall_macro,
         AVG(f1_macro) AS f1_macro,
         SUM(seconds) AS seconds
  FROM folds
  GROUP BY trial_id
)
SELECT RANK() OVER (PARTITION BY t.sweep_id
                    ORDER BY t.cv_mean IS NULL,
                             CASE WHEN s.maximize THEN -t.cv_mean ELSE t.cv_mean END) AS rank,
       s.id AS sweep_id,
       s.name AS sweep,
       t.number AS trial,
       t.id AS trial_id,
       t.params_json AS params,
       s.metric_name AS metric,
       t.cv_mean,
       t.cv_std,
       COALESCE(m.folds, 0) AS folds,
       m.loss,
       m.accuracy,
       m.precision_macro,
       m.recall_macro,
       m.f1_macro,
       m.seconds
FROM trials t
JOIN sweeps s ON s.id = t.sweep_id
LEFT JOIN fold_means m ON m.trial_id = t.id
WHERE t.status = 'completed'
ORDER BY s.id DESC, rank, t.number;

-- ---- schema version 2 ----
-- Everything below this line was added in version 2, and only as new tables: a version-1 store
-- opened for writing is upgraded by running the text from this line on (results/store.cpp).
-- A later version adds its own section below the last one.

-- issue 11 (a model you can apply): the trained model of a final run, so that `sweep predict`
-- can apply it to new data. layout_json: the network's shape (input_size, timesteps,
-- hidden_size, num_layers, head, num_classes, batch_size, parameters) and the feature and class
-- names it was trained with; standardizer_json: {"mean": [...], "inv_std": [...]} per feature,
-- fitted on the run's training rows; weights: `parameters` float32 values, little-endian, in the
-- layout of engine/model/weights.h; weights_hash equals final_runs.weights_hash and is checked
-- against the blob on every read.
CREATE TABLE final_run_models (
  final_run_id      INTEGER PRIMARY KEY REFERENCES final_runs (id) ON DELETE CASCADE,
  layout_json       TEXT NOT NULL CHECK (json_valid(layout_json)),
  standardizer_json TEXT NOT NULL CHECK (json_valid(standardizer_json)),
  weights           BLOB NOT NULL,
  weights_hash      TEXT NOT NULL
);

-- issue 11 (a baseline on the same folds): a linear softmax classifier (the dense head alone on
-- the standardized features, engine/sched/linear_baseline.h) trained on exactly the sweep's folds
-- and its held-out split, so that every sweep answers "does the GRU beat a linear model?".
-- fold: from 0 (trained on the fold's training rows, scored on its validation rows), or -1
-- (trained on all non-test rows, scored on the test rows). confusion: rows = true class, as a
-- JSON array of arrays. Not a trial: never ranked by `leaderboard`, never the best.
CREATE TABLE baseline_folds (
  sweep_id        INTEGER NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  model           TEXT NOT NULL,
  fold            INTEGER NOT NULL CHECK (fold >= -1),
  train_rows      INTEGER NOT NULL,
  val_rows        INTEGER NOT NULL,
  epochs          INTEGER NOT NULL,
  loss            REAL,
  accuracy        REAL,
  precision_macro REAL,
  recall_macro    REAL,
  f1_macro        REAL,
  per_class       TEXT NOT NULL CHECK (json_valid(per_class)),
  confusion       TEXT NOT NULL CHECK (json_valid(confusion)),
  weights_hash    TEXT NOT NULL,
  seconds         REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (sweep_id, model, fold)
);

-- issue 14 (cluster): (trial, fold) units of `sweep worker`, claimed under leases. A worker
-- holds a unit until lease_until and renews it by heartbeat; a unit whose lease ran out is
-- reclaimed by any worker (lost_leases counts those, up to --max-retries, then the unit and its
-- trial fail with the reason). A write carries the attempt it was claimed with and is refused
-- when the unit has been claimed again since. Filled on PostgreSQL (schema_pg.sql); a SQLite
-- file gets these rows from `sweep pull`.
CREATE TABLE units (
  trial_id    INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
  fold        INTEGER NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'running', 'done', 'failed')),
  owner       TEXT,     -- the worker holding the lease ("host:pid:start:boot"); NULL unless running
  attempt     INTEGER NOT NULL DEFAULT 0,  -- claims so far
  lost_leases INTEGER NOT NULL DEFAULT 0,  -- claims that ended with the lease running out
  lease_until TEXT,     -- ISO-8601 UTC
  error       TEXT,
  PRIMARY KEY (trial_id, fold)
);

-- issue 11 (evaluation): how the sweep's rows were split. One row per data row: its role
-- ('cv' or 'test'), the fold that validates on it (NULL for test rows), its group and class, so
-- any tool can recompute on exactly the same rows; and each fold's held-out group (NULL unless
-- cv.method is leave_one_group_out).
CREATE TABLE split_folds (
  sweep_id       INTEGER NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  fold           INTEGER NOT NULL,
  held_out_group TEXT,
  PRIMARY KEY (sweep_id, fold)
);

CREATE TABLE split_rows (
  sweep_id   INTEGER NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
  row        INTEGER NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('cv', 'test')),
  fold       INTEGER,
  group_name TEXT,
  label      TEXT NOT NULL,
  PRIMARY KEY (sweep_id, row)
);

-- A final run's score on each group of a grouped test set (subjects, recordings): rows, accuracy,
-- balanced accuracy (mean recall over the classes the group has) and the confusion matrix as
-- JSON rows (true class) of predicted-class counts, in the sweep's class order.
CREATE TABLE final_run_groups (
  final_run_id INTEGER NOT NULL REFERENCES final_runs (id) ON DELETE CASCADE,
  group_name   TEXT NOT NULL,
  rows         INTEGER NOT NULL,
  accuracy     REAL,
  recall_macro REAL,
  confusion    TEXT NOT NULL CHECK (json_valid(confusion)),
  PRIMARY KEY (final_run_id, group_name)
);
