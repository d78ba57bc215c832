#!/usr/bin/env bash
# Puts the example's code where the definition expects it: s3://cairn-quickstart/code/ in cairn's local object store.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
home="${CAIRN_HOME:-$PWD/.cairn}"
mkdir -p "$home/s3/cairn-quickstart/code"
cp "$here"/code/*.py "$home/s3/cairn-quickstart/code/"
echo "seeded $home/s3/cairn-quickstart/code/"
