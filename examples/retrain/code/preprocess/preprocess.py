"""Preprocess: five raw channels -> train / validation / test splits, k-fold variants and a fitted scaler.

Inputs (one directory per channel): /opt/ml/processing/input/{unlabeled,risky,dormant,normal,heavy}/telemetry.npy
Outputs: train/{data,label}, train/kfold/{data,label}/fold_K.npy, train/unlabeled/kfold/fold_K.npy,
         val/{data,label}, val/kfold/{data,label}/fold_K.npy, test/{data,label}, and the scaler at --scaler_path.
"""
import argparse
import os

import numpy as np

LABELS = {"normal": 0, "heavy": 1, "dormant": 2, "risky": 3}
IN = "/opt/ml/processing/input"


def save(path, array):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, array)


def stratified_split(y, fractions, rng):
    """Indices for each fraction, keeping each class's share (at least one per class per split where possible)."""
    parts = [[] for _ in fractions]
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        cuts = np.cumsum([int(round(f * len(idx))) for f in fractions[:-1]])
        for i, chunk in enumerate(np.split(idx, cuts)):
            parts[i].extend(chunk.tolist())
    return [np.array(sorted(p)) for p in parts]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scaler_path", default="/opt/ml/processing/scaler/scaler.npz")
    ap.add_argument("--kfolds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)

    xs, ys = [], []
    for name, label in LABELS.items():
        x = np.load(os.path.join(IN, name, "telemetry.npy"))
        xs.append(x)
        ys.append(np.full(len(x), label, dtype=np.int64))
    x, y = np.concatenate(xs), np.concatenate(ys)
    unlabeled = np.load(os.path.join(IN, "unlabeled", "telemetry.npy"))

    train_i, val_i, test_i = stratified_split(y, [0.6, 0.2, 0.2], rng)
    mean = np.concatenate([x[train_i], unlabeled]).mean(axis=0)
    std = np.concatenate([x[train_i], unlabeled]).std(axis=0) + 1e-6
    os.makedirs(os.path.dirname(a.scaler_path), exist_ok=True)
    np.savez(a.scaler_path, mean=mean, std=std)
    scale = lambda v: ((v - mean) / std).astype(np.float32)  # noqa: E731

    out = "/opt/ml/processing"
    for split, idx in (("train", train_i), ("val", val_i), ("test", test_i)):
        save(f"{out}/{split}/data/data.npy", scale(x[idx]))
        save(f"{out}/{split}/label/label.npy", y[idx])
    # k-fold variants of the training split (and of the unlabelled pool), and the matching held-out folds.
    folds = stratified_split(y[train_i], [1 / a.kfolds] * a.kfolds, rng)
    pool = rng.permutation(len(unlabeled))
    for k, held in enumerate(folds):
        keep = np.setdiff1d(np.arange(len(train_i)), held)
        save(f"{out}/train/kfold/data/fold_{k}.npy", scale(x[train_i][keep]))
        save(f"{out}/train/kfold/label/fold_{k}.npy", y[train_i][keep])
        save(f"{out}/val/kfold/data/fold_{k}.npy", scale(x[train_i][held]))
        save(f"{out}/val/kfold/label/fold_{k}.npy", y[train_i][held])
        save(f"{out}/train/unlabeled/kfold/fold_{k}.npy", scale(unlabeled[pool[k::a.kfolds]]))
    save(f"{out}/train/unlabeled/all/unlabeled.npy", scale(unlabeled))
    counts = {n: int((y[train_i] == l).sum()) for n, l in LABELS.items()}
    print(f"train={len(train_i)} val={len(val_i)} test={len(test_i)} unlabeled={len(unlabeled)} folds={a.kfolds} train_counts={counts}")


if __name__ == "__main__":
    main()
