#!/usr/bin/env bash
# Builds cairn's local stand-in images from nothing but Debian's package mirror and PyPI.
# No container registry is needed. Images that already exist are kept (pass --force to rebuild).
#   cairn-local/debian:bookworm       minimal Debian base (debootstrap + docker import)
#   cairn-local/python:3.11-numpy     python3 + numpy, for tests and simple processing/training steps
#   cairn-local/python-sklearn        + Debian's scikit-learn and pandas: stands in for the SageMaker scikit-learn images
#   cairn-local/python-pip:3.11       + pip (no toolkit): script-mode emulation with requirements.txt
#   cairn-local/python-toolkit:3.11   + the sagemaker-training toolkit: the script-mode oracle
#   cairn-local/python-serve:3.11     + a stdlib `serve` (SageMaker inference contract): Model and Transform steps
#   cairn-local/python-sagemaker:3.11 + the SageMaker Python SDK v2 (the test venv's version): `@step` function jobs
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
force=0; [ "${1:-}" = "--force" ] && force=1
have() { [ "$force" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }

BASE=cairn-local/debian:bookworm
if have "$BASE"; then
  echo "image $BASE: present"
else
  command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  root="$(mktemp -d /tmp/cairn-rootfs.XXXXXX)"
  trap 'rm -rf "$root"' EXIT
  echo "image $BASE: debootstrap into $root (about a minute)"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/tmp/cairn-debootstrap.log 2>&1 \
    || { tail -20 /tmp/cairn-debootstrap.log; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$BASE" >/dev/null
  echo "image $BASE: built"
fi

PY=cairn-local/python:3.11-numpy
if have "$PY"; then
  echo "image $PY: present"
else
  echo "image $PY: building"
  docker build -q -t "$PY" "$here/python-numpy" >/dev/null
  echo "image $PY: built"
fi

SK=cairn-local/python-sklearn
if have "$SK"; then
  echo "image $SK: present"
else
  echo "image $SK: building (scikit-learn and pandas from Debian)"
  docker build -q -t "$SK" "$here/python-sklearn" >/dev/null
  echo "image $SK: built"
fi

SERVE=cairn-local/python-serve:3.11
if have "$SERVE"; then
  echo "image $SERVE: present"
else
  echo "image $SERVE: building"
  docker build -q -t "$SERVE" "$here/python-serve" >/dev/null
  echo "image $SERVE: built"
fi

# A build context holding a Dockerfile and pip-cert.pem, the host's CA bundle for pip: PIP_CERT, else
# REQUESTS_CA_BUNDLE / SSL_CERT_FILE, else the locally added CAs (behind a TLS-intercepting proxy PyPI is reachable
# only with it). Prints the context directory.
pip_context() {
  local ctx
  ctx="$(mktemp -d /tmp/cairn-pip-ctx.XXXXXX)"
  cp "$1" "$ctx/"
  : >"$ctx/pip-cert.pem"
  for f in "${PIP_CERT:-}" "${REQUESTS_CA_BUNDLE:-}" "${SSL_CERT_FILE:-}"; do
    if [ -n "$f" ] && [ -s "$f" ]; then cp "$f" "$ctx/pip-cert.pem"; break; fi
  done
  if [ ! -s "$ctx/pip-cert.pem" ] && ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    cat /etc/ssl/certs/ca-certificates.crt /usr/local/share/ca-certificates/*.crt >"$ctx/pip-cert.pem" 2>/dev/null || true
  fi
  echo "$ctx"
}

# Both from python-toolkit/Dockerfile (stage `pip`, then the full file). The host's pip CA bundle (PIP_CERT), if any,
# goes into the build context for the pip stage only: behind a TLS-intercepting proxy PyPI is reachable only with it.
PIP_IMG=cairn-local/python-pip:3.11
TK=cairn-local/python-toolkit:3.11
if have "$PIP_IMG" && have "$TK"; then
  echo "image $PIP_IMG: present"; echo "image $TK: present"
else
  ctx="$(pip_context "$here/python-toolkit/Dockerfile")"
  echo "image $PIP_IMG: building"
  docker build -q --target pip -t "$PIP_IMG" "$ctx" >/dev/null
  echo "image $PIP_IMG: built"
  echo "image $TK: building (sagemaker-training from PyPI; a few minutes the first time)"
  docker build -q -t "$TK" "$ctx" >/dev/null || { rm -rf "$ctx"; echo "image $TK: build failed" >&2; exit 1; }
  rm -rf "$ctx"
  echo "image $TK: built"
fi

SMSDK=cairn-local/python-sagemaker:3.11
if have "$SMSDK"; then
  echo "image $SMSDK: present"
else
  ctx="$(pip_context "$here/python-sagemaker/Dockerfile")"
  echo "image $SMSDK: building (the SageMaker Python SDK from PyPI; a few minutes the first time)"
  docker build -q -t "$SMSDK" "$ctx" >/dev/null || { rm -rf "$ctx"; echo "image $SMSDK: build failed" >&2; exit 1; }
  rm -rf "$ctx"
  echo "image $SMSDK: built"
fi
