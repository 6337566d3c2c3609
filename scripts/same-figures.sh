#!/usr/bin/env bash
# Proves an optimization changed no figure: runs `compare --json --check --default-sizes`
# on every examples/*.rmw, examples/kernel/*.rmw, recordings/*.rmw.gz and every generator
# at its defaults, with the given jar, into DIR (one .json per input, the timing fields
# "millis" masked). Then `diff -r DIR1 DIR2` must print nothing.
#   scripts/same-figures.sh JAR DIR     (JAR: e.g. a copy of target/rmaplab.jar before the change)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
rmaplab_find_jdk
jar="$(readlink -f "$1")"; out="$2"
mkdir -p "$out"
cd "$here"
inputs=(examples/*.rmw examples/kernel/*.rmw recordings/*.rmw.gz)
for g in $("$JAVA_HOME/bin/java" -jar "$jar" gen --list | sed -n 's/^\([a-z][a-z0-9-]*\): .*/\1/p'); do inputs+=("gen:$g"); done
for f in "${inputs[@]}"; do
  name="$(echo "$f" | tr '/:' '__')"
  set +e
  "$JAVA_HOME/bin/java" -Drmaplab.home="$here" -Xss8m -XX:+UseParallelGC -jar "$jar" \
      compare --json --check --default-sizes "$f" >"$out/$name.json" 2>"$out/$name.err"
  echo "exit $?" >>"$out/$name.err"
  set -e
  sed -i -E 's/"(millis|read_millis|model_millis)" ?: ?[0-9]+/"\1":0/g' "$out/$name.json"
done
echo "$(ls "$out"/*.json | wc -l) inputs written to $out"
