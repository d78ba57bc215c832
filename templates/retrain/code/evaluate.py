"""Evaluate: the model's accuracy on test/, written to evaluation.json (the pipeline's gate reads it)."""
import json
import os
import tarfile

import numpy as np

with tarfile.open("/opt/ml/processing/model/model.tar.gz") as tar:
    tar.extractall("/tmp/model")
w = np.load("/tmp/model/model.npy")
data = np.loadtxt("/opt/ml/processing/test/test.csv", delimiter=",", ndmin=2)
y, x = data[:, 0], np.column_stack([np.ones(len(data)), data[:, 1:]])
accuracy = float(np.mean(((x @ w) > 0) == (y > 0.5)))

report = {"metrics": {"accuracy": {"value": accuracy}}}
out = "/opt/ml/processing/evaluation"
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "evaluation.json"), "w") as f:
    json.dump(report, f, indent=2)
print(json.dumps(report))
