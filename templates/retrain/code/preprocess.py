"""Preprocess: a deterministic two-class data set (4 features), split into train/ and test/ CSVs (label first)."""
import argparse
import os

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=2000)
args = parser.parse_args()

rng = np.random.default_rng(7)
x = rng.normal(size=(args.rows, 4))
y = (x @ np.array([1.5, -2.0, 0.5, 1.0]) + 0.3 * rng.normal(size=args.rows) > 0).astype(float)
data = np.column_stack([y, x])
cut = int(args.rows * 0.8)
for name, part in (("train", data[:cut]), ("test", data[cut:])):
    out = f"/opt/ml/processing/{name}"
    os.makedirs(out, exist_ok=True)
    np.savetxt(os.path.join(out, f"{name}.csv"), part, delimiter=",", fmt="%.6f")
    print(f"{name}: {len(part)} rows")
