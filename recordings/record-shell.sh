#!/usr/bin/env bash
# Records a shell script with pipelines, command substitutions and subshells
# (dash as /bin/sh: it forks for every pipeline stage and $(...), and execs).
# Writes recordings/shell.*. Run as root.
. "$(dirname "$0")/lib.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for i in 1 2 3 4 5 6; do echo "file $i" > "$work/f$i.txt"; done
rec_run "$REC_DIR/shell" /bin/sh -c '
  cd "$1"
  n=$(ls | sort | wc -l)
  echo "files: $n"
  for f in *.txt; do
    ( lines=$(wc -l < "$f"); echo "$f $lines" ) | tr a-z A-Z
  done
  total=$(cat *.txt | grep -c file)
  echo "total: $total"
  x=$( (echo a; echo b) | sort -r | head -1 )
  echo "x=$x"
' sh "$work"
