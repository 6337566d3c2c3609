#!/usr/bin/env bash
# Records a Redis server from its start: fill keys, then BGSAVE (Redis forks a
# child that writes the snapshot while the parent keeps serving, so the
# parent's writes copy-on-write pages shared with the child) while
# redis-benchmark keeps writing; wait for the save to finish, SHUTDOWN.
# Only the server's process tree is recorded (not the clients).
# Installs Debian's redis-server and redis-tools if missing.
# Writes recordings/redis.*. Run as root.
. "$(dirname "$0")/lib.sh"
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  echo "record-redis: installing redis-server redis-tools" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server redis-tools >&2 \
    || rec_die "apt-get install redis-server redis-tools failed"
fi
KEYS="${KEYS:-50000}"     # keys filled before the save
WRITES="${WRITES:-50000}" # SETs sent while the save runs

work="$(mktemp -d /tmp/rmaplab-redis.XXXXXX)"
cleanup() {
  if [ -n "${REC_PID:-}" ] && kill -0 "$REC_PID" 2>/dev/null; then
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cli() { redis-cli -h 127.0.0.1 -p "$port" "$@"; }

rec_start "$REC_DIR/redis" "$(command -v redis-server)" --port "$port" --bind 127.0.0.1 \
  --dir "$work" --dbfilename dump.rdb --save '' --appendonly no --daemonize no --logfile ''

for i in $(seq 1 100); do
  [ "$(cli ping 2>/dev/null)" = PONG ] && break
  kill -0 "$REC_PID" 2>/dev/null || rec_die "the server died while starting"
  sleep 0.1
done
[ "$(cli ping 2>/dev/null)" = PONG ] || rec_die "the server did not answer on port $port"

# Fill: KEYS SETs of 256-byte values on keys drawn at random from KEYS names
# (about 63% of them end up distinct).
redis-benchmark -h 127.0.0.1 -p "$port" -t set -n "$KEYS" -r "$KEYS" -d 256 -c 2 -q >&2
echo "record-redis: keys before the save: $(cli dbsize)" >&2

# Writes during the save.
redis-benchmark -h 127.0.0.1 -p "$port" -t set -n "$WRITES" -r "$KEYS" -d 256 -c 2 -q >"$work/bench.log" 2>&1 &
bench=$!
sleep 0.3
[ "$(cli bgsave)" = "Background saving started" ] || rec_die "BGSAVE did not start"
for i in $(seq 1 300); do
  cli info persistence | grep -q '^rdb_bgsave_in_progress:0' && break
  sleep 0.1
done
cli info persistence | grep -q '^rdb_bgsave_in_progress:0' || rec_die "the save did not finish"
cli info persistence | grep -q '^rdb_last_bgsave_status:ok' || rec_die "the save failed"
wait "$bench" || { cat "$work/bench.log" >&2; rec_die "redis-benchmark failed during the save"; }
cat "$work/bench.log" >&2
echo "record-redis: keys after: $(cli dbsize); save: $(cli info persistence | grep -E '^rdb_last_bgsave_time_sec' | tr -d '\r')" >&2
cli shutdown nosave >/dev/null 2>&1 || true
rec_wait
