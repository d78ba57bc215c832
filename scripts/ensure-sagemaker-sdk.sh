#!/usr/bin/env bash
# The real SageMaker Python SDK v2 (the oracle tests and SDK-written definitions use it), in a venv outside the clone:
# ${CAIRN_SAGEMAKER_VENV:-$HOME/.cache/cairn/sagemaker-sdk}. Reused when it already imports sagemaker 2.x.
# Prints the venv's python. About 90 s and 400 MB the first time (PyPI).
set -euo pipefail
venv="${CAIRN_SAGEMAKER_VENV:-$HOME/.cache/cairn/sagemaker-sdk}"
py="$venv/bin/python"
if [ -x "$py" ] && "$py" -c 'import sagemaker, sys; sys.exit(0 if sagemaker.__version__.startswith("2.") else 1)' 2>/dev/null; then
  echo "$py"; exit 0
fi
echo "installing the SageMaker Python SDK v2 into $venv…" >&2
python3 -m venv "$venv"
"$py" -m pip install -q --disable-pip-version-check 'sagemaker<3' 'moto[server]<6' >&2
"$py" -c 'import sagemaker; print("sagemaker", sagemaker.__version__)' >&2
echo "$py"
