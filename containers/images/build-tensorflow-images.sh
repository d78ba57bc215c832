#!/usr/bin/env bash
# Builds cairn's local TensorFlow stand-ins from cairn's Debian base and PyPI; no container registry is needed.
# Images that already exist are kept (pass --force to rebuild them). Needs cairn-local/debian:bookworm, which
# build-test-images.sh makes (it is run first when the base is missing).
#   cairn-local/tensorflow:2.19.0                   stands for tensorflow/tensorflow:2.19.0 (CPU)
#   cairn-local/tensorflow-training:2.19-cpu-py311  stands for 763104351884.dkr.ecr.<region>.amazonaws.com/tensorflow-training:2.19-cpu-py312
# 2.19 is the newest TensorFlow training image the SageMaker Python SDK lists (image_uri_config/tensorflow.json);
# the official one has Python 3.12, these have Debian bookworm's 3.11 (the tag says so).
# Keep the names and versions in step with containers/stand-ins.ts.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
force=0; only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --only) only="${2:?--only needs tensorflow or tensorflow-training}"; shift ;;
    *) echo "usage: $0 [--force] [--only tensorflow|tensorflow-training]" >&2; exit 2 ;;
  esac
  shift
done
case "$only" in ""|tensorflow|tensorflow-training) ;; *) echo "--only takes tensorflow or tensorflow-training, not \"$only\"" >&2; exit 2 ;; esac
have() { [ "$force" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }
TF_VERSION=2.19.0
TF=cairn-local/tensorflow:$TF_VERSION
TRAIN=cairn-local/tensorflow-training:2.19-cpu-py311
TRAIN_STANDS_FOR='763104351884.dkr.ecr.<region>.amazonaws.com/tensorflow-training:2.19-cpu-py312'

docker image inspect cairn-local/debian:bookworm >/dev/null 2>&1 || bash "$here/build-test-images.sh"

build() { # image, context dir, extra build args...
  local image="$1" context="$2"; shift 2
  local start=$SECONDS
  # A private copy of the context with the machine's extra CA certificates in extra-ca/ (see tensorflow/Dockerfile).
  local ctx; ctx="$(mktemp -d /tmp/cairn-tf-context.XXXXXX)"
  cp -r "$context/." "$ctx/" && mkdir -p "$ctx/extra-ca" && touch "$ctx/extra-ca/.keep"
  cp /usr/local/share/ca-certificates/*.crt "$ctx/extra-ca/" 2>/dev/null || true
  echo "image $image: building (downloads TensorFlow from PyPI; a few minutes the first time)"
  docker build -t "$image" "$@" "$ctx" 2>&1 | sed -u "s|^|  [$image] |" || { rm -rf "$ctx"; echo "image $image: build failed" >&2; exit 1; }
  rm -rf "$ctx"
  local size; size="$(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"
  echo "image $image: built in $((SECONDS - start))s, $size"
}

if [ -z "$only" ] || [ "$only" = tensorflow ] || [ "$only" = tensorflow-training ]; then
  # The training stand-in is layered on the plain one, so --only tensorflow-training needs it too (kept if present).
  if have "$TF" || { [ "$only" = tensorflow-training ] && docker image inspect "$TF" >/dev/null 2>&1; }; then echo "image $TF: present"
  else build "$TF" "$here/tensorflow" --build-arg "TF_VERSION=$TF_VERSION"; fi
fi
if [ -z "$only" ] || [ "$only" = tensorflow-training ]; then
  if have "$TRAIN"; then echo "image $TRAIN: present"
  else build "$TRAIN" "$here/tensorflow-training" --build-arg "BASE=$TF" --build-arg "STANDS_FOR=$TRAIN_STANDS_FOR"; fi
fi
