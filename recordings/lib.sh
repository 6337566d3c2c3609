# Shared by recordings/record-*.sh: records a command with the project's event
# set. Sourced, not run. Needs root (perf tracepoints), perf and gzip.
#
#   rec_start PREFIX CMD ARGS...   runs CMD under the recorder in the background
#                                  (sets REC_PID); use rec_wait to finish
#   rec_run   PREFIX CMD ARGS...   runs CMD under the recorder in the foreground
#   rec_wait                       waits for the background recorder, finishes
#
# With a launcher that has `rmaplab record`, `record --walks` writes PREFIX.data,
# PREFIX.txt.gz, PREFIX.rmw.gz and PREFIX.truth.json. Without it (or with
# RMAPLAB_RAW_PERF=1) the raw perf command below writes PREFIX.data and
# PREFIX.txt.gz, then `rmaplab import --walks` the workload and truth file
# (--walks: a walk of every mapped range before each address space goes, so
# the oracle checks every folio the recorded processes leave).
# Either way the recording is checked for lost events: any fails the script.

set -euo pipefail
REC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REC_DIR="$REC_ROOT/recordings"

rec_die() { echo "$(basename "$0"): $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || rec_die "must run as root (perf tracepoints and kmem events)"
command -v perf >/dev/null || rec_die "perf not found (apt-get install linux-perf)"

# rec_has_command NAME: the launcher lists NAME among its commands.
rec_has_command() {
  "$REC_ROOT/rmaplab" --help 2>/dev/null | grep -q "^  $1 "
}

rec_has_record() {
  [ "${RMAPLAB_RAW_PERF:-0}" != 1 ] && rec_has_command record
}

REC_FILTER='name == "anon_vma" || name == "anon_vma_chain" || name == "vm_area_struct"'

# rec_cmdline PREFIX CMD...: prints nothing, sets REC_ARGV to the recorder's argv.
rec_cmdline() {
  local prefix="$1"; shift
  rm -f "$prefix".data "$prefix".data.old "$prefix".txt.gz "$prefix".rmw.gz "$prefix".truth.json "$prefix".perf.log
  if rec_has_record; then
    REC_MODE=rmaplab
    REC_ARGV=("$REC_ROOT/rmaplab" record --walks -o "$prefix" -- "$@")
  else
    REC_MODE=raw
    REC_ARGV=(perf record -q -d -m 1024 -o "$prefix.data"
      -e exceptions:page_fault_user -e exceptions:page_fault_kernel
      -e syscalls:sys_enter_mmap -e syscalls:sys_enter_munmap
      -e syscalls:sys_enter_mremap -e syscalls:sys_exit_mremap
      -e syscalls:sys_enter_mprotect -e syscalls:sys_enter_brk -e syscalls:sys_exit_brk
      -e syscalls:sys_enter_madvise -e task:task_newtask
      -e kmem:kmem_cache_alloc --filter "$REC_FILTER"
      -e kmem:kmem_cache_free --filter "$REC_FILTER"
      -- "$@")
  fi
  REC_PREFIX="$prefix"
}

rec_start() {
  rec_cmdline "$@"
  echo "record: ${REC_ARGV[*]}" >&2
  "${REC_ARGV[@]}" 2> >(tee "$REC_PREFIX.perf.log" >&2) &
  REC_PID=$!
}

rec_run() { rec_start "$@"; rec_wait; }

rec_wait() {
  local status=0
  wait "$REC_PID" || status=$?
  [ "$status" -eq 0 ] || rec_die "recorder exited with status $status (log: $REC_PREFIX.perf.log)"
  rec_finish
}

rec_finish() {
  local p="$REC_PREFIX"
  [ -s "$p.data" ] || rec_die "no $p.data written"
  if [ "$REC_MODE" = raw ]; then
    perf script --show-mmap-events --show-task-events -i "$p.data" 2>>"$p.perf.log" | gzip -n -9 > "$p.txt.gz"
  fi
  [ -s "$p.txt.gz" ] || rec_die "no $p.txt.gz written"
  # Lost events: perf's warnings on stderr, PERF_RECORD_LOST* lines in the text,
  # and the LOST counts of `perf report --stats`.
  if grep -qi 'lost\|overwrit\|throttl' "$p.perf.log"; then
    grep -i 'lost\|overwrit\|throttl' "$p.perf.log" >&2
    rec_die "perf reported lost events: record less (see above)"
  fi
  if zgrep -q 'PERF_RECORD_LOST' "$p.txt.gz"; then
    zgrep -m5 'PERF_RECORD_LOST' "$p.txt.gz" >&2
    rec_die "$p.txt.gz has PERF_RECORD_LOST lines: record less"
  fi
  local lost
  # (perf report --stats prints only the event kinds it saw: any LOST line is a loss)
  lost="$(perf report --stats -i "$p.data" 2>&1 | grep -i 'lost')" || true
  if [ -n "$lost" ]; then
    echo "$lost" >&2
    rec_die "perf report --stats counts lost events: record less"
  fi
  rm -f "$p.perf.log"
  echo "record: $p.txt.gz: $(zcat "$p.txt.gz" | wc -l) lines, $(stat -c %s "$p.txt.gz") bytes gzipped, no events lost" >&2
  if [ "$REC_MODE" = rmaplab ]; then
    [ -s "$p.rmw.gz" ] && [ -s "$p.truth.json" ] || rec_die "rmaplab record wrote no $p.rmw.gz or $p.truth.json"
  else
    if rec_has_command import; then
      "$REC_ROOT/rmaplab" import --walks "$p.txt.gz" -o "$p.rmw.gz"
    else
      rec_die "this launcher has no 'rmaplab import': only $p.txt.gz written"
    fi
  fi
}
