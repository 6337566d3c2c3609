#!/usr/bin/env bash
# Checks `rmaplab survey`'s linux estimate against the kernel's slab counts on a
# known tree: surveys the machine, starts scripts/survey-tree.py N K MODE (N written
# one-page regions and K processes that inherit them: flat, chain or keep-one, see
# that script), surveys again, stops the tree, and prints for anon_vma,
# anon_vma_chain and vm_area_struct how much the kernel's count (slabinfo active)
# and the model's moved. Needs root (pagemap frame numbers) and python3.
# Usage: scripts/survey-check.sh [N [K [flat|chain|keep-one]]]   (default 2000 10 flat)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
n="${1:-2000}" k="${2:-10}" mode="${3:-flat}"
tmp="$(mktemp -d)"
tree=""
cleanup() { if [ -n "$tree" ]; then kill -TERM "$tree" 2>/dev/null || true; wait "$tree" 2>/dev/null || true; fi; rm -rf "$tmp"; }
trap cleanup EXIT
"$here/rmaplab" survey --design linux --json > "$tmp/before.json"
python3 "$here/scripts/survey-tree.py" "$n" "$k" "$mode" > "$tmp/tree.out" &
tree=$!
for _ in $(seq 1 100); do grep -q READY "$tmp/tree.out" 2>/dev/null && break; sleep 0.1; done
grep -q READY "$tmp/tree.out" || { echo "survey-check: the tree did not start" >&2; exit 1; }
"$here/rmaplab" survey --design linux --json > "$tmp/after.json"
python3 - "$tmp/before.json" "$tmp/after.json" "$n" "$k" "$mode" <<'PY'
import json, sys
b, a = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
n, k, mode = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
print("tree: %d written regions, %d more processes (%s), plus python's own memory" % (n, k, mode))
print("%-15s %12s %12s %12s %10s %10s" % ("cache", "kernel +", "model +", "difference", "gap then", "gap now"))
for c in ("anon_vma", "anon_vma_chain", "vm_area_struct"):
    sb, sa = b["slabinfo"][c], a["slabinfo"][c]
    dk, dm = sa["active"] - sb["active"], sa["linux_model"] - sb["linux_model"]
    print("%-15s %12d %12d %12d %10d %10d" % (c, dk, dm, dk - dm, sb["gap"], sa["gap"]))
print("processes rebuilt as forks sharing frames with their parent: %d" % a["rebuilt"]["processes"]["fork_shared_pages"])
PY
