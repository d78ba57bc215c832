#!/usr/bin/env bash
# Builds cairn's local stand-in images from nothing but Debian's package mirror and PyPI.
# No container registry is needed. Images that already exist are kept (pass --force to rebuild).
#   cairn-local/debian:bookworm       minimal Debian base (debootstrap + docker import)
#   cairn-local/python:3.11-numpy     python3 + numpy, for tests and simple processing/training steps
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
