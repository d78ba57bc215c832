"""Joins the data profile and the evaluation into one report."""
import json, os
profile = json.load(open("/opt/ml/processing/input/profile/profile.json"))
evaluation = json.load(open("/opt/ml/processing/input/evaluation/evaluation.json"))
os.makedirs("/opt/ml/processing/report", exist_ok=True)
report = {"profile": profile, "evaluation": evaluation}
json.dump(report, open("/opt/ml/processing/report/report.json", "w"), indent=2, sort_keys=True)
print("accuracy", evaluation["binary_classification_metrics"]["accuracy"]["value"])
