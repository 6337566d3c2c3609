#!/usr/bin/env bash
# Records a PostgreSQL server from its start while pgbench runs 2 clients that
# connect anew for every transaction (-C: the postmaster forks a backend per
# connection). Only the server's process tree is recorded (not pgbench).
# A temporary cluster is initdb'd as the postgres user (postgres refuses root),
# listens on 127.0.0.1 on a free port, and is stopped with pg_ctl (fast
# shutdown: SIGINT) after the run. Writes recordings/postgres.*. Run as root.
# Settings: autovacuum off (no timer-driven workers), everything else default.
. "$(dirname "$0")/lib.sh"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -n "$PGBIN" ] && [ -x "$PGBIN/postgres" ] || rec_die "no PostgreSQL under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
PGUSER_OS="${PGUSER_OS:-postgres}"
id "$PGUSER_OS" >/dev/null 2>&1 || rec_die "no user $PGUSER_OS to run the server as"
CLIENTS="${CLIENTS:-2}"
TXNS="${TXNS:-20}"        # transactions per client

as_pg() { setpriv --reuid="$PGUSER_OS" --regid="$PGUSER_OS" --init-groups -- "$@"; }

work="$(mktemp -d /tmp/rmaplab-pg.XXXXXX)"
chown "$PGUSER_OS" "$work"
chmod 700 "$work"
server_up=0
cleanup() {
  if [ "$server_up" = 1 ]; then as_pg "$PGBIN/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free port on loopback (asked of the kernel).
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

cd "$work"
as_pg "$PGBIN/initdb" -D "$work/data" -U postgres --auth=trust --no-sync >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; rec_die "initdb failed"; }

rec_start "$REC_DIR/postgres" setpriv --reuid="$PGUSER_OS" --regid="$PGUSER_OS" --init-groups -- \
  "$PGBIN/postgres" -D "$work/data" -p "$port" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$work" -c autovacuum=off -c logging_collector=off
server_up=1

for i in $(seq 1 100); do
  if as_pg "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then break; fi
  kill -0 "$REC_PID" 2>/dev/null || rec_die "the server died while starting"
  sleep 0.2
done
as_pg "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" || rec_die "the server did not come up on port $port"

as_pg "$PGBIN/pgbench" -h 127.0.0.1 -p "$port" -U postgres -i -s 1 -q postgres
as_pg "$PGBIN/pgbench" -h 127.0.0.1 -p "$port" -U postgres -C -c "$CLIENTS" -t "$TXNS" -n postgres

as_pg "$PGBIN/pg_ctl" -D "$work/data" -m fast -w stop
server_up=0
rec_wait
