"""Evaluates the trained model on the test split; writes model-quality JSON (Model Monitor format)."""
import json, os, tarfile
import numpy as np

with tarfile.open("/opt/ml/processing/model/model.tar.gz") as t:
    t.extractall("/tmp/model")
w = np.load("/tmp/model/weights.npy")
d = np.loadtxt("/opt/ml/processing/test/test.csv", delimiter=",")
x, y = np.column_stack([d[:, :-1], np.ones(len(d))]), d[:, -1]
pred = (1 / (1 + np.exp(-(x @ w)))) > 0.5
tp, fp, fn = int(np.sum(pred & (y == 1))), int(np.sum(pred & (y == 0))), int(np.sum(~pred & (y == 1)))
metrics = {"binary_classification_metrics": {
    "accuracy": {"value": round(float(np.mean(pred == y)), 6), "standard_deviation": "NaN"},
    "precision": {"value": round(tp / max(tp + fp, 1), 6), "standard_deviation": "NaN"},
    "recall": {"value": round(tp / max(tp + fn, 1), 6), "standard_deviation": "NaN"}}}
os.makedirs("/opt/ml/processing/evaluation", exist_ok=True)
json.dump(metrics, open("/opt/ml/processing/evaluation/evaluation.json", "w"), indent=2, sort_keys=True)
print(json.dumps(metrics, sort_keys=True))
