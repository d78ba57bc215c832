"""Writes a deterministic synthetic data set: player telemetry features and a rare 'risky' label."""
import argparse, os
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--rows", type=int, default=2000)
p.add_argument("--seed", type=int, default=7)
a = p.parse_args()
rng = np.random.default_rng(a.seed)
x = rng.normal(size=(a.rows, 6))
w = np.array([1.5, -2.0, 0.7, 0.0, 0.3, -0.5])
logit = x @ w - 2.5
y = (rng.random(a.rows) < 1 / (1 + np.exp(-logit))).astype(int)
out = "/opt/ml/processing/raw"
os.makedirs(out, exist_ok=True)
np.savetxt(os.path.join(out, "telemetry.csv"), np.column_stack([x, y]), delimiter=",", fmt="%.6f")
print(f"generated {a.rows} rows, {y.sum()} risky")
