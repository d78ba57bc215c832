#!/usr/bin/env bash
# The main job, end to end on a fresh Debian machine (root, no Docker daemon, no container registry):
# installs and starts a Docker engine if needed, builds the local stand-in images if missing, builds cairn,
# then plans and runs the quickstart pipeline (Generate → Prepare → {Profile, Train → Evaluate} → Report).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/ensure-docker.sh"
bash "$root/containers/images/build-test-images.sh"
cd "$root"
[ -d node_modules ] || npm ci
npm run build --silent
cd "$root/examples/quickstart"
./seed.sh
node "$root/dist/cli/main.js" plan pipeline.json
node "$root/dist/cli/main.js" run pipeline.json "$@"
