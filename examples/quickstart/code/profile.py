"""Summarises the training split (class balance, feature ranges) as JSON."""
import json, os
import numpy as np

d = np.loadtxt("/opt/ml/processing/input/train/train.csv", delimiter=",")
os.makedirs("/opt/ml/processing/profile", exist_ok=True)
stats = {"rows": int(len(d)), "risky": int(d[:, -1].sum()),
         "min": [round(float(v), 4) for v in d[:, :-1].min(axis=0)],
         "max": [round(float(v), 4) for v in d[:, :-1].max(axis=0)]}
json.dump(stats, open("/opt/ml/processing/profile/profile.json", "w"), indent=2, sort_keys=True)
print(json.dumps(stats, sort_keys=True))
