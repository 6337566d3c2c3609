#!/usr/bin/env bash
# Records a Python multiprocessing Pool (fork start method, 4 workers) mapping
# a small function over a list. Writes recordings/python-pool.*. Run as root.
. "$(dirname "$0")/lib.sh"
# Debian's interpreter by default (a pyenv shim would be a bash script).
py="${PYTHON:-/usr/bin/python3}"
[ -x "$py" ] || rec_die "$py not found (set PYTHON=/path/to/python3)"
rec_run "$REC_DIR/python-pool" "$py" -S -c '
import multiprocessing as mp

def work(n):
    data = [i * i for i in range(n * 200)]
    return sum(data) % 1000003

if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(4) as pool:
        out = pool.map(work, range(40), chunksize=2)
    print("results:", len(out), sum(out))
'
