#!/usr/bin/env bash
# The main job, end to end on a fresh Debian machine (root, no Docker daemon, no container registry):
# installs and starts a Docker engine if needed, builds the local stand-in images that are missing (a Debian base from
# debootstrap, python images, and the TensorFlow stand-ins from PyPI: about 6 minutes the first time, reused after),
# builds cairn, then plans and runs the retraining pipeline of examples/retrain:
#   Telemetry → Preprocess → Retrain (TensorFlow, script mode) → Evaluate → RegisterModels
# Extra arguments go to `cairn run` (e.g. --param Iterations=300, or --param FailAtIteration=650 to watch a resume).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/ensure-docker.sh"
bash "$root/containers/images/build-test-images.sh"
bash "$root/containers/images/build-tensorflow-images.sh"
cd "$root"
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build --silent
cd "$root/examples/retrain"
node "$root/dist/cli/main.js" plan pipeline.ts
node "$root/dist/cli/main.js" run pipeline.ts "$@"
