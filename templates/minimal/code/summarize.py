"""Summarize: reads Prepare's data and writes summary.json (count, mean, min, max) to the `summary` output."""
import json
import os

with open("/opt/ml/processing/input/data/numbers.csv") as f:
    values = [float(line) for line in f if line.strip()]

summary = {"count": len(values), "mean": sum(values) / len(values), "min": min(values), "max": max(values)}
out = "/opt/ml/processing/summary"
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump(summary, f, indent=2)
print(json.dumps(summary))
