"""Trains a logistic-regression classifier with numpy (full-batch gradient descent); SageMaker training contract."""
import json, os, sys
import numpy as np

hp = json.load(open("/opt/ml/input/config/hyperparameters.json"))
epochs, lr = int(hp.get("epochs", "50")), float(hp.get("learning_rate", "0.5"))
fail_at = int(hp.get("fail_at_epoch", "-1"))
d = np.loadtxt("/opt/ml/input/data/train/train.csv", delimiter=",")
x, y = np.column_stack([d[:, :-1], np.ones(len(d))]), d[:, -1]
w = np.zeros(x.shape[1])
for epoch in range(1, epochs + 1):
    p = 1 / (1 + np.exp(-(x @ w)))
    w -= lr * x.T @ (p - y) / len(y)
    loss = float(-np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)))
    acc = float(np.mean((p > 0.5) == y))
    print(f"Iteration={epoch}; Loss={loss:.4f}; Accuracy={acc:.4f};", flush=True)
    if epoch == fail_at:
        with open("/opt/ml/output/failure", "w") as f:
            f.write(f"training diverged at epoch {epoch} (fail_at_epoch={fail_at})")
        sys.exit(3)
os.makedirs("/opt/ml/model", exist_ok=True)
np.save("/opt/ml/model/weights.npy", w)
json.dump({"epochs": epochs, "learning_rate": lr}, open("/opt/ml/model/params.json", "w"), sort_keys=True)
