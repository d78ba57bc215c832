"""Train (script mode): logistic regression by gradient descent on the `train` channel; writes model.npy to SM_MODEL_DIR."""
import argparse
import glob
import os

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=200)
parser.add_argument("--learning_rate", type=float, default=0.5)
args, _ = parser.parse_known_args()

train_dir = os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train")
data = np.vstack([np.loadtxt(f, delimiter=",", ndmin=2) for f in sorted(glob.glob(os.path.join(train_dir, "*.csv")))])
y, x = data[:, 0], np.column_stack([np.ones(len(data)), data[:, 1:]])
w = np.zeros(x.shape[1])
for epoch in range(1, args.epochs + 1):
    p = 1 / (1 + np.exp(-x @ w))
    w -= args.learning_rate * x.T @ (p - y) / len(y)
    if epoch % 50 == 0 or epoch == args.epochs:
        loss = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        print(f"epoch={epoch}; loss={loss:.6f};")
model_dir = os.environ.get("SM_MODEL_DIR", "/opt/ml/model")
os.makedirs(model_dir, exist_ok=True)
np.save(os.path.join(model_dir, "model.npy"), w)
