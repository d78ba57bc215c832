"""Register: hands the four models to registration. Writes one registration request per model (the fields of
CreateModelPackage: group, model data, model-quality metrics, description naming the run and the model, custom
metadata, approval status PendingManualApproval) to registration.json; the registry step consumes it."""
import argparse
import json
import os

ap = argparse.ArgumentParser()
ap.add_argument("--model_package_group", required=True)
ap.add_argument("--model_data", required=True)
ap.add_argument("--evaluation_uri", required=True)
ap.add_argument("--execution_id", required=True)
ap.add_argument("--approval_status", default="PendingManualApproval")
a = ap.parse_args()

ev = "/opt/ml/processing/input/evaluation"
models = sorted(f[len("model_quality_"):-len(".json")] for f in os.listdir(ev) if f.startswith("model_quality_"))
requests = []
for name in models:
    quality = json.load(open(os.path.join(ev, f"model_quality_{name}.json")))
    requests.append({
        "ModelPackageGroupName": a.model_package_group,
        "ModelPackageDescription": f"run {a.execution_id}: SGAN classifier '{name}'",
        "ModelApprovalStatus": a.approval_status,
        "InferenceSpecification": {"Containers": [{"ModelDataUrl": a.model_data, "Environment": {"CAIRN_MODEL_FILE": f"model_{name}.keras"}}],
                                   "SupportedContentTypes": ["application/x-npy"], "SupportedResponseMIMETypes": ["application/json"]},
        "ModelMetrics": {"ModelQuality": {"Statistics": {"ContentType": "application/json",
                                                          "S3Uri": f"{a.evaluation_uri.rstrip('/')}/model_quality_{name}.json"}}},
        "CustomerMetadataProperties": {"model": name, "execution_id": a.execution_id,
                                       "risky_recall": str(quality["binary_classification_metrics"]["recall"]["value"])},
    })
os.makedirs("/opt/ml/processing/registration", exist_ok=True)
with open("/opt/ml/processing/registration/registration.json", "w") as f:
    json.dump({"requests": requests}, f, indent=2, sort_keys=True)
print(f"prepared {len(requests)} model registrations in group {a.model_package_group}")
