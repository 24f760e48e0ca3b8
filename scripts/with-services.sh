#!/usr/bin/env bash
# Run a command with a private PostgreSQL and Redis of its own, then stop them both.
#
#   scripts/with-services.sh .venv/bin/pytest
#
# The command sees TEST_DATABASE_URL (postgresql+psycopg://, a server whose `postgres`
# database the tests use as a template and beside which they make one database each)
# and TEST_REDIS_URL. `make test` runs the whole suite once without this (SQLite,
# in-memory limits) and once with it. Debian's postgresql and redis-server packages are
# installed by scripts/install-test-tools.sh; nothing is started as a system service.
#
# The servers live in a temporary folder, on free ports, bound to 127.0.0.1 only, and
# are stopped (and the folder removed) however the command ends. PostgreSQL runs with
# fsync off: these are throwaway test databases, and durability costs minutes here.
set -euo pipefail

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$PG_BIN/initdb" ] || { echo "with-services: PostgreSQL is not installed (make test-tools)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "with-services: redis-server is not installed (make test-tools)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/againsthate-services.XXXXXX)"
chmod 755 "$WORK"  # PostgreSQL's own user must reach its folders inside
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PG_PORT="$(free_port)"
REDIS_PORT="$(free_port)"

# initdb refuses to run as root: as root, run PostgreSQL as its own `postgres` user.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi
mkdir -p "$WORK/pg" "$WORK/sock"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$WORK/pg" "$WORK/sock"; fi

stop() {
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  if [ -f "$WORK/redis.pid" ]; then kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap stop EXIT

"${as_pg[@]}" "$PG_BIN/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log"
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/sock/postgres.log" -w start -o \
  "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/sock -c max_connections=400 \
   -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$WORK/redis.pid" \
  --save "" --appendonly no --logfile "$WORK/redis.log"
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
export TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
echo "with-services: PostgreSQL on port $PG_PORT, Redis on port $REDIS_PORT"
"$@"
