"""Prepare: writes a small deterministic data set (one number per line) to the `data` output."""
import argparse
import os

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=100)
args = parser.parse_args()

out = "/opt/ml/processing/data"
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "numbers.csv"), "w") as f:
    for i in range(args.rows):
        f.write(f"{(i * 37) % 101}\n")
print(f"wrote {args.rows} rows to {out}/numbers.csv")
