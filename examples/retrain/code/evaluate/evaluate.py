"""Evaluate: loads the four models and the test split, computes custom metrics (written as CSV) and converts them
to the model-quality JSON that the model registry understands (Model Monitor's binary_classification_metrics,
risky vs the rest), one file per model; and a summary naming the best model, which the pipeline's gate reads."""
import csv
import json
import os
import tarfile

import numpy as np
import tensorflow as tf

RISKY = 3
OUT = "/opt/ml/processing/evaluation"
SUMMARY = "/opt/ml/processing/summary"


def binary_metrics(y_true, p_risky, threshold=0.5):
    pred = p_risky >= threshold
    truth = y_true == RISKY
    tp, fp = int(np.sum(pred & truth)), int(np.sum(pred & ~truth))
    fn, tn = int(np.sum(~pred & truth)), int(np.sum(~pred & ~truth))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    order = np.argsort(-p_risky)  # AUC by the rank-sum formula
    ranks = np.empty(len(order)); ranks[order] = np.arange(len(order), 0, -1)
    n_pos, n_neg = truth.sum(), (~truth).sum()
    auc = float((ranks[truth].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)) if n_pos and n_neg else float("nan")
    return {"accuracy": (tp + tn) / len(y_true), "precision": precision, "recall": recall, "f1": f1, "auc": auc,
            "true_positives": tp, "false_positives": fp, "false_negatives": fn, "true_negatives": tn}


def main():
    with tarfile.open("/opt/ml/processing/model/model.tar.gz") as t:
        t.extractall("/tmp/model")
    x = np.load("/opt/ml/processing/test/data/data.npy")
    y = np.load("/opt/ml/processing/test/label/label.npy")
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for name in sorted(f[len("model_"):-len(".keras")] for f in os.listdir("/tmp/model") if f.endswith(".keras")):
        model = tf.keras.models.load_model(f"/tmp/model/model_{name}.keras")
        proba = model.predict(x, verbose=0)
        m = binary_metrics(y, proba[:, RISKY])
        m["multiclass_accuracy"] = float(np.mean(np.argmax(proba, -1) == y))
        rows.append({"model": name, **{k: round(float(v), 6) for k, v in m.items()}})
        quality = {"binary_classification_metrics": {
            k: {"value": round(float(m[k]), 6), "standard_deviation": "NaN"} for k in ("accuracy", "precision", "recall", "f1", "auc")}}
        with open(f"{OUT}/model_quality_{name}.json", "w") as f:
            json.dump(quality, f, indent=2, sort_keys=True)
        print(f"Model={name}; Test_Accuracy={m['accuracy']:.4f}; Risky_Recall={m['recall']:.4f}; Risky_F1={m['f1']:.4f};")
    with open(f"{OUT}/metrics.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    best = max(rows, key=lambda r: r["accuracy"])
    os.makedirs(SUMMARY, exist_ok=True)
    with open(f"{SUMMARY}/evaluation.json", "w") as f:
        json.dump({"best": {"model": best["model"], "accuracy": best["accuracy"]},
                   "models": {r["model"]: {"accuracy": r["accuracy"]} for r in rows}}, f, indent=2, sort_keys=True)
    print(f"Best={best['model']}; Test_Accuracy={best['accuracy']:.4f};")


if __name__ == "__main__":
    main()
