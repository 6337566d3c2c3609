#!/bin/sh
# Installs perf for 'rmaplab record' / 'rmaplab import FILE.data': Debian's
# linux-perf package (it provides /usr/bin/perf). Run as root.
set -eu
if command -v perf >/dev/null 2>&1; then
  echo "perf is already installed: $(perf --version)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-perf.sh: run as root (apt-get install linux-perf)" >&2
  exit 3
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q linux-perf
perf --version
