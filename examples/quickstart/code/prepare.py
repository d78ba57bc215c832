"""Splits the raw telemetry into train and test sets and fits a scaler (mean/std) on train."""
import os
import numpy as np

data = np.loadtxt("/opt/ml/processing/input/raw/telemetry.csv", delimiter=",")
n = int(len(data) * 0.8)
train, test = data[:n], data[n:]
mean, std = train[:, :-1].mean(axis=0), train[:, :-1].std(axis=0) + 1e-9
for name, part in (("train", train), ("test", test)):
    d = f"/opt/ml/processing/{name}"
    os.makedirs(d, exist_ok=True)
    scaled = np.column_stack([(part[:, :-1] - mean) / std, part[:, -1]])
    np.savetxt(os.path.join(d, f"{name}.csv"), scaled, delimiter=",", fmt="%.6f")
os.makedirs("/opt/ml/processing/scaler", exist_ok=True)
np.savez("/opt/ml/processing/scaler/scaler.npz", mean=mean, std=std)
print(f"train={len(train)} test={len(test)}")
