#!/usr/bin/env bash
# Checks the shipped recordings (recordings/NAME.{txt.gz,rmw.gz,truth.json}).
# Needs no root: it only reads the files. Called by .ci/run; also run by hand.
#  1. re-import: importing NAME.txt.gz again must give NAME.rmw.gz (and
#     NAME.truth.json, when the importer writes one) byte for byte;
#  2. replay: NAME.rmw.gz under every sound design with the oracle on, and
#     --zero-page=off as on the recorded kernel. The shipped workloads are
#     imported with --walks (a walk of every mapped range before each address
#     space goes), which the oracle always checks; on top of that, as every
#     process has exited by the end (so --check's final sweep finds nothing),
#     a recording of at most EVERY_OP_MAX_OPS ops runs
#     with --check-every-op (every live folio walked after every op); a larger
#     one with --check on CHECKPOINTS prefixes cut at evenly spaced ops (every
#     live folio walked at the end of each). The time of each replay is printed;
#  3. `rmaplab kernel-check` on each (recording mode: the linux model's
#     allocations against the kernel's, from the truth file); the recordings
#     listed in recordings/known-differences must still differ, the others pass.
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
  # a shipped workload with walk ops was imported with --walks
  walkopt=(--no-walks)
  if { zcat "$n.rmw.gz" || true; } | grep -q -E '^[^ #]+ walk '; then walkopt=(--walks); fi
  ./rmaplab import "${walkopt[@]}" "$t" -o "$tmp/$b.rmw.gz" > "$tmp/$b.import.log" 2>&1 \
    || { cat "$tmp/$b.import.log" >&2; fail "rmaplab import ${walkopt[*]} $t"; }
  if ! cmp -s "$tmp/$b.rmw.gz" "$n.rmw.gz"; then
    echo "recordings: $n.rmw.gz differs from a new import of $t; first differences:" >&2
    diff <(zcat "$n.rmw.gz") <(zcat "$tmp/$b.rmw.gz") | head -20 >&2 || true
    fail "the importer no longer reproduces $n.rmw.gz (importer drift: re-import and review, or fix the importer)"
  fi
  if [ -f "$tmp/$b.truth.json" ] && ! cmp -s "$tmp/$b.truth.json" "$n.truth.json"; then
    diff "$n.truth.json" "$tmp/$b.truth.json" | head -20 >&2 || true
    fail "the importer no longer reproduces $n.truth.json"
  fi
  echo "recordings: $t re-imports (rmaplab import ${walkopt[*]}) to the shipped $(basename "$n").rmw.gz and .truth.json byte for byte"
done

# 2. Replay under every sound design, oracle on.
EVERY_OP_MAX_OPS="${EVERY_OP_MAX_OPS:-20000}"
CHECKPOINTS="${CHECKPOINTS:-8}"
replay() { # FILE MODE: runs (failing loudly on a violation or an error); sets REPLAY_WALKS
  # (called directly, never in $(...), so that fail exits the script)
  # --wide: the side-by-side table, one 'oracle' row with a column per design (the default output turns it)
  ./rmaplab run "$1" "$2" --wide --zero-page=off "${designs[@]}" > "$tmp/run.out" 2>&1 \
    || { cat "$tmp/run.out" >&2; fail "$1 $2 under ${designs[*]} (oracle violation or error, above)"; }
  # every design's column says "ok, N walks checked" (the same N): take the first
  REPLAY_WALKS="$(grep '^oracle' "$tmp/run.out" | grep -o 'ok, [0-9]* walks checked' | head -1 | cut -d' ' -f2)" || true
  [ -n "$REPLAY_WALKS" ] || { cat "$tmp/run.out" >&2; fail "$1 $2: no 'ok, N walks checked' in the oracle line"; }
}
for w in "${recs[@]}"; do
  t0="$(now)"
  ops="$(zcat "$w" | grep -c -v -E '^(#|rmaplab-workload|$)')"
  if [ "$ops" -le "$EVERY_OP_MAX_OPS" ]; then
    replay "$w" --check-every-op
    walks="$REPLAY_WALKS"
    how="--check-every-op"
  else
    # CHECKPOINTS prefixes of the workload (a prefix of a valid workload is valid), then the whole
    lines="$(zcat "$w" | wc -l)"
    walks=0
    for k in $(seq 1 "$CHECKPOINTS"); do
      n=$(( lines * k / (CHECKPOINTS + 1) ))
      { zcat "$w" || true; } | head -n "$n" | gzip -n > "$tmp/prefix.rmw.gz"
      replay "$tmp/prefix.rmw.gz" --check
      walks=$(( walks + REPLAY_WALKS ))
    done
    replay "$w" --check
    walks=$(( walks + REPLAY_WALKS ))
    how="--check at $CHECKPOINTS prefixes and the end"
  fi
  [ "$walks" -gt 0 ] || fail "$w: the oracle checked no walk ($how)"
  how="$how, $walks walks checked per design"
  echo "recordings: $w ($ops ops) ok under ${designs[*]}: $how ($(secs "$t0" "$(now)") s)"
done

# 3. The linux model against the kernel's own counts in the recordings, one at
# a time: each must pass, but for those listed in recordings/known-differences
# (NAME, then why: one line each), which must still differ (status 1): one that now passes
# should leave the list.
known() { grep -E "^$1( |\$)" recordings/known-differences 2>/dev/null | cut -d' ' -f2- || true; }
t0="$(now)"
for w in "${recs[@]}"; do
  b="$(basename "$w" .rmw.gz)"
  why="$(known "$b")"
  status=0
  ./rmaplab kernel-check --wide "$w" > "$tmp/kc.out" 2>&1 || status=$? # --wide: the verdict on one line
  if [ -z "$why" ]; then
    [ "$status" -eq 0 ] || { cat "$tmp/kc.out" >&2; fail "kernel-check $w (status $status)"; }
    echo "recordings: kernel-check $w: $(grep '^verdict' "$tmp/kc.out")"
  else
    [ "$status" -ne 0 ] || fail "kernel-check $w now passes: take $b out of recordings/known-differences"
    [ "$status" -eq 1 ] || { cat "$tmp/kc.out" >&2; fail "kernel-check $w (status $status)"; }
    echo "recordings: kernel-check $w: KNOWN DIFFERENCE ($why): $(grep '^verdict' "$tmp/kc.out")"
  fi
done
echo "recordings: kernel-check done on ${#recs[@]} recordings ($(secs "$t0" "$(now)") s)"
