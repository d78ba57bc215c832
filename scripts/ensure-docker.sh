#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io if dockerd is missing, starts dockerd in the
# background if it is not running, and waits until `docker info` answers (60 s at most).
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
if ! command -v dockerd >/dev/null 2>&1; then
  echo "installing docker.io (Debian package)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "starting dockerd…"
  nohup dockerd >/var/log/cairn-dockerd.log 2>&1 &
fi
for _ in $(seq 60); do
  if docker info >/dev/null 2>&1; then echo "docker engine ready"; exit 0; fi
  sleep 1
done
echo "the Docker engine did not start; see /var/log/cairn-dockerd.log" >&2
tail -20 /var/log/cairn-dockerd.log >&2 || true
exit 1
