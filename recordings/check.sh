#!/usr/bin/env bash
# Checks the shipped recordings (recordings/NAME.{txt.gz,rmw.gz,truth.json}).
# Needs no root: it only reads the files. Called by .ci/run; also run by hand.
#  1. re-import: importing NAME.txt.gz again must give NAME.rmw.gz (and
#     NAME.truth.json, when the importer writes one) byte for byte;
#  2. replay: NAME.rmw.gz under every sound design with the oracle on
#     (`rmaplab run --check`: every walk the workload asks for, and a walk of
#     every live anonymous folio at the end); the time of each replay is printed;
#  3. `rmaplab kernel-check` on all of them (recording mode: the linux model's
#     allocations against the kernel's, from the truth file).
# Exits non-zero, with the reason, on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "recordings: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

shopt -s nullglob
texts=(recordings/*.txt.gz)
[ "${#texts[@]}" -gt 0 ] || fail "no recordings/*.txt.gz to check"
recs=()
for t in "${texts[@]}"; do
  n="${t%.txt.gz}"
  [ -f "$n.rmw.gz" ] || fail "$t has no $n.rmw.gz beside it (import it: ./rmaplab import $t -o $n.rmw.gz)"
  [ -f "$n.truth.json" ] || fail "$t has no $n.truth.json beside it"
  recs+=("$n.rmw.gz")
done
for w in recordings/*.rmw.gz; do
  [ -f "${w%.rmw.gz}.txt.gz" ] || fail "$w has no ${w%.rmw.gz}.txt.gz beside it (its source)"
done

designs=()
for d in $(./rmaplab designs --sound); do designs+=(--design "$d"); done
[ "${#designs[@]}" -gt 0 ] || fail "'rmaplab designs --sound' listed no design"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 1. Re-import.
for t in "${texts[@]}"; do
  n="${t%.txt.gz}"; b="$(basename "$n")"
  ./rmaplab import "$t" -o "$tmp/$b.rmw.gz" > "$tmp/$b.import.log" 2>&1 \
    || { cat "$tmp/$b.import.log" >&2; fail "rmaplab import $t"; }
  if ! cmp -s "$tmp/$b.rmw.gz" "$n.rmw.gz"; then
    echo "recordings: $n.rmw.gz differs from a new import of $t; first differences:" >&2
    diff <(zcat "$n.rmw.gz") <(zcat "$tmp/$b.rmw.gz") | head -20 >&2 || true
    fail "the importer no longer reproduces $n.rmw.gz (importer drift: re-import and review, or fix the importer)"
  fi
  if [ -f "$tmp/$b.truth.json" ] && ! cmp -s "$tmp/$b.truth.json" "$n.truth.json"; then
    diff "$n.truth.json" "$tmp/$b.truth.json" | head -20 >&2 || true
    fail "the importer no longer reproduces $n.truth.json"
  fi
  echo "recordings: $t re-imports to the shipped $(basename "$n").rmw.gz byte for byte"
done

# 2. Replay under every sound design, oracle on.
for w in "${recs[@]}"; do
  t0="$(now)"
  ./rmaplab run "$w" --check "${designs[@]}" > "$tmp/run.out" 2>&1 \
    || { cat "$tmp/run.out" >&2; fail "$w under ${designs[*]} (oracle violation or error, above)"; }
  echo "recordings: $w ok under ${designs[*]} ($(secs "$t0" "$(now)") s)"
done

# 3. The linux model against the kernel's own counts in the recordings.
t0="$(now)"
./rmaplab kernel-check "${recs[@]}" || fail "kernel-check on ${recs[*]}"
echo "recordings: kernel-check ok on ${#recs[@]} recordings ($(secs "$t0" "$(now)") s)"
