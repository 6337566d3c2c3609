#!/usr/bin/env bash
# Builds the native workload runner (probe/rmaplab-run.c) with the system gcc into
# probe/build/rmaplab-run, only when the source is newer than the binary.
# Exit status 3 when gcc is missing (bench --kernel reports it).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="$here/probe/rmaplab-run.c"
out="$here/probe/build/rmaplab-run"
if [ -x "$out" ] && [ "$out" -nt "$src" ]; then exit 0; fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "rmaplab: gcc is not installed (apt-get install gcc): the native workload runner cannot be built" >&2
  exit 3
fi
mkdir -p "$here/probe/build"
gcc -std=c99 -O2 -Wall -Wextra -Wno-unused-parameter -pthread -o "$out.tmp" "$src"
mv "$out.tmp" "$out"
