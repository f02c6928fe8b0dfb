#!/usr/bin/python3
"""The tool a user would pick instead of eegsweep: Optuna (TPESampler + HyperbandPruner) driving
PyTorch's nn.GRU, on the rows, folds, parameter space and epoch budget of an eegsweep run.

    /usr/bin/python3 scripts/bench/optuna_gru.py --store SWEEP.db --csv DATA.csv --seed N
                     [--trials 40] [--threads 2] [--out trials.tsv]

Everything that defines the problem is read from the eegsweep store, never restated here:
the parameter space and fixed settings (sweeps.spec_text: every parameter must be `value` or
`values`), the class order (sweeps.class_names) and the split (split_rows: which rows are test
rows and which CV fold each other row belongs to). DATA.csv is the table the sweep loaded, row for
row (build/bench/dataset_csv writes it), so row r of the CSV is row r of split_rows.

The model follows ../shared/DESIGN.md: per-feature z-scoring fitted on the fold's training rows
(population standard deviation; constant features left unscaled), a row of F features read as
timesteps × (F / timesteps) step-major, one GRU layer (Keras init: Glorot-uniform kernel,
orthogonal recurrent, zero biases), head `last` or `mean`, dropout on the head's input, a dense
layer (Glorot-uniform, zero bias), softmax cross-entropy, Adam (eps 1e-7), minibatches reshuffled
every epoch, the last partial one kept. Each fold trains `epochs` epochs and scores its best epoch
on the fold's validation rows (the first epoch, then only strict improvements): eegsweep's
`cv.epoch_selection: fold`, so the sweep must use it. The trial's value is the mean over folds.

Pruning: fold 1's validation accuracy after each epoch is reported to Optuna (step = epochs so
far) and HyperbandPruner(min_resource=3, max_resource=epochs, reduction_factor=3) may stop the
trial there; later folds are not reported (eegsweep's hyperband also judges fold 1 only).
The best trial is then retrained on all CV rows for the median of its folds' chosen epochs and
scored once on the test rows, as eegsweep's final run does.

Writes one line per trial (number, state, value, seconds since --t0 when it finished, its
parameters) to --out, and a summary line to stdout.
"""
import argparse
import json
import math
import sqlite3
import statistics
import sys
import time

import numpy as np
import optuna
import torch
import yaml


def load_problem(store_path):
    db = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
    spec_text, class_names, features = db.execute(
        "select spec_text, class_names, dataset_features from sweeps").fetchone()
    split = db.execute("select row, role, fold, label from split_rows order by row").fetchall()
    db.close()
    spec = yaml.safe_load(spec_text)
    space, fixed = {}, {}
    for name, definition in spec["parameters"].items():
        if "values" in definition:
            space[name] = list(definition["values"])
        elif "value" in definition:
            fixed[name] = definition["value"]
        else:
            sys.exit(f"optuna_gru: {store_path}: parameter {name} is {definition}; only value/values are supported")
    if not split:
        sys.exit(f"optuna_gru: {store_path}: no split_rows (a store from before schema version 2?)")
    return space, fixed, json.loads(class_names), features, split


def glorot_(tensor, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    torch.nn.init.uniform_(tensor, -limit, limit)


class GruClassifier(torch.nn.Module):
    def __init__(self, inputs, hidden, classes, head, dropout):
        super().__init__()
        self.gru = torch.nn.GRU(inputs, hidden, batch_first=True)
        self.dropout = torch.nn.Dropout(dropout)
        self.dense = torch.nn.Linear(hidden, classes)
        self.head = head
        with torch.no_grad():
            # Keras: kernel (inputs, 3h) Glorot-uniform over the whole matrix, recurrent (h, 3h)
            # orthogonal, biases zero. PyTorch stores the transposes (3h, inputs) and (3h, h).
            glorot_(self.gru.weight_ih_l0, inputs, 3 * hidden)
            torch.nn.init.orthogonal_(self.gru.weight_hh_l0)
            self.gru.bias_ih_l0.zero_()
            self.gru.bias_hh_l0.zero_()
            glorot_(self.dense.weight, hidden, classes)
            self.dense.bias.zero_()

    def forward(self, x):
        y, h = self.gru(x)
        pooled = h[0] if self.head == "last" else y.mean(dim=1)
        return self.dense(self.dropout(pooled))


def standardized(x, train_rows):
    train = x[train_rows].astype(np.float64)
    mean = train.mean(axis=0)
    sd = np.sqrt(((train - mean) ** 2).mean(axis=0))
    inv_std = np.where(sd > 0, 1.0 / np.where(sd > 0, sd, 1.0), 1.0)
    return ((x - mean) * inv_std).astype(np.float32)


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        correct = (model(x).argmax(dim=1) == y).sum().item()
    model.train()
    return correct / len(y)


def train_epochs(model, optimizer, x, y, batch_size, generator):
    loss_fn = torch.nn.CrossEntropyLoss()
    order = torch.randperm(len(y), generator=generator)
    for start in range(0, len(y), batch_size):
        batch = order[start:start + batch_size]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[batch]), y[batch])
        loss.backward()
        optimizer.step()


def tensors(x, y, rows, timesteps):
    features = x.shape[1]
    if features % timesteps:
        raise ValueError(f"timesteps {timesteps} does not divide {features} features")
    seq = torch.from_numpy(x[rows].reshape(len(rows), timesteps, features // timesteps))
    return seq, torch.from_numpy(y[rows])


def make_model(params, inputs, classes, seed):
    torch.manual_seed(seed)
    model = GruClassifier(inputs, int(params["hidden_size"]), classes, params["head"], float(params["dropout"]))
    optimizer = torch.optim.Adam(model.parameters(), lr=float(params["learning_rate"]), eps=1e-7)
    generator = torch.Generator().manual_seed(seed)
    return model, optimizer, generator


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--csv", required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--t0", type=float, default=None, help="epoch seconds the run started (default: now)")
    parser.add_argument("--out", default="/dev/stdout")
    args = parser.parse_args()
    t0 = args.t0 if args.t0 is not None else time.time()
    torch.set_num_threads(args.threads)
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    space, fixed, class_names, features, split = load_problem(args.store)
    classes = len(class_names)
    label_index = {name: k for k, name in enumerate(class_names)}
    table = np.loadtxt(args.csv, delimiter=",", skiprows=1, dtype=str, comments=None)
    if len(table) != len(split):
        sys.exit(f"optuna_gru: {args.csv} has {len(table)} rows, the store's split {len(split)}")
    x = table[:, :features].astype(np.float32)
    y = np.array([label_index[label] for label in table[:, -1]], dtype=np.int64)
    for row, _, _, label in split:
        if class_names[y[row]] != label:
            sys.exit(f"optuna_gru: row {row}: CSV label {class_names[y[row]]}, store label {label}")
    test_rows = np.array([r for r, role, _, _ in split if role == "test"])
    cv_rows = np.array([r for r, role, _, _ in split if role == "cv"])
    fold_of = {r: f for r, role, f, _ in split if role == "cv"}
    folds = sorted(set(fold_of.values()))
    epochs, batch_size = int(fixed["epochs"]), int(fixed["batch_size"])
    if int(fixed.get("patience", 0)) != 0:
        sys.exit("optuna_gru: the sweep must use patience 0 (every fold trains every epoch)")

    fold_data = []
    for f in folds:
        val = np.array([r for r in cv_rows if fold_of[r] == f])
        train = np.array([r for r in cv_rows if fold_of[r] != f])
        fold_data.append((train, val, standardized(x, train)))

    log = open(args.out, "w")
    log.write("number\tstate\tvalue\tfinished_s\tchosen_epochs\tparams\n")

    def objective(trial):
        params = {name: trial.suggest_categorical(name, values) for name, values in space.items()}
        params.update(fixed)
        timesteps = int(params["timesteps"])
        scores, chosen = [], []
        for k, (train, val, xs) in enumerate(fold_data):
            x_train, y_train = tensors(xs, y, train, timesteps)
            x_val, y_val = tensors(xs, y, val, timesteps)
            model, optimizer, generator = make_model(params, x_train.shape[2], classes,
                                                     args.seed * 1000003 + trial.number * 101 + k)
            best, best_epoch = -1.0, 0
            for epoch in range(epochs):
                train_epochs(model, optimizer, x_train, y_train, batch_size, generator)
                value = accuracy(model, x_val, y_val)
                if value > best:
                    best, best_epoch = value, epoch
                if k == 0:
                    trial.report(value, epoch + 1)
                    if trial.should_prune():
                        trial.set_user_attr("chosen_epochs", chosen)
                        raise optuna.TrialPruned()
            scores.append(best)
            chosen.append(best_epoch + 1)
        trial.set_user_attr("chosen_epochs", chosen)
        return sum(scores) / len(scores)

    def record(study, trial):
        value = "" if trial.value is None else f"{trial.value:.6f}"
        log.write(f"{trial.number}\t{trial.state.name.lower()}\t{value}\t{time.time() - t0:.3f}\t"
                  f"{trial.user_attrs.get('chosen_epochs', [])}\t{json.dumps(trial.params)}\n")
        log.flush()

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=args.seed),
                                pruner=optuna.pruners.HyperbandPruner(min_resource=3, max_resource=epochs,
                                                                      reduction_factor=3))
    study.optimize(objective, n_trials=args.trials, callbacks=[record])

    # The final run: all CV rows, the median of the best trial's chosen epochs, the test rows once.
    best = study.best_trial
    params = dict(best.params, **fixed)
    final_epochs = int(statistics.median_low(best.user_attrs["chosen_epochs"]))
    xs = standardized(x, cv_rows)
    x_train, y_train = tensors(xs, y, cv_rows, int(params["timesteps"]))
    x_test, y_test = tensors(xs, y, test_rows, int(params["timesteps"]))
    model, optimizer, generator = make_model(params, x_train.shape[2], classes, args.seed * 1000003 + 999983)
    for _ in range(final_epochs):
        train_epochs(model, optimizer, x_train, y_train, batch_size, generator)
    test = accuracy(model, x_test, y_test)
    pruned = sum(1 for t in study.trials if t.state == optuna.trial.TrialState.PRUNED)
    print(f"trials={len(study.trials)} pruned={pruned} best_cv={best.value:.4f} best_trial={best.number} "
          f"final_epochs={final_epochs} test_acc={test:.4f} seconds={time.time() - t0:.1f} params={json.dumps(best.params)}")


if __name__ == "__main__":
    main()
