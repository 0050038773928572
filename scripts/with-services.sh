#!/usr/bin/env bash
# Run a command with PostgreSQL and Redis: `scripts/with-services.sh CMD...`.
#
# When DATABASE_URL and CELERY_BROKER_URL are both set already, CMD runs against them as is.
# Otherwise a throwaway PostgreSQL (port PERF_PGPORT, default 55440 or the next free one, fsync
# off) and Redis (port PERF_REDIS_PORT, default 56440 or the next free one) are started in a
# temporary folder, DATABASE_URL, CELERY_BROKER_URL, MYBUSINESS_REDIS_PORT and MYBUSINESS_REDIS_DIR
# are exported (as .ci/run does), CMD runs, and both servers are stopped on exit.
# PERF_PGDATA=<dir> keeps PostgreSQL's data folder between runs (a large benchmark database is
# seeded once, then reused); the postgres user must be able to reach it.
# Extra server settings: PERF_PG_OPTS, e.g. PERF_PG_OPTS="-c shared_buffers=512MB".
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

if [ -n "${DATABASE_URL:-}" ] && [ -n "${CELERY_BROKER_URL:-}" ]; then
  exec "$@"
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
missing=()
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || missing+=(postgresql postgresql-contrib)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-upgrade "${missing[@]}" >/dev/null
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

DBNAME=${PERF_DBNAME:-mybusiness}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
# A port given in the environment must be free; a default one moves up to the next free port
# (a soak and a benchmark may run side by side).
pick_port() {  # pick_port VARIABLE DEFAULT
  local name=$1 port=${!1:-} tries
  if [ -n "$port" ]; then
    if port_in_use "$port"; then echo "$name=$port: the port is already in use" >&2; return 1; fi
    echo "$port"; return 0
  fi
  port=$2
  for tries in $(seq 1 50); do
    port_in_use "$port" || { echo "$port"; return 0; }
    port=$((port + 1))
  done
  echo "no free port from $2 to $port" >&2
  return 1
}
PGPORT=$(pick_port PERF_PGPORT 55440)
REDIS_PORT=$(pick_port PERF_REDIS_PORT 56440)

# A folder the postgres user can reach: PostgreSQL runs as postgres (initdb refuses root).
WORK=$(mktemp -d /tmp/mybusiness-perf.XXXXXX)
chmod 755 "$WORK"
PGRUN=$WORK/pgrun   # the server's log and socket
install -d -o postgres -g postgres -m 755 "$PGRUN"
if [ -n "${PERF_PGDATA:-}" ]; then
  mkdir -p "$(dirname "$PERF_PGDATA")"
  PGDATA=$(cd "$(dirname "$PERF_PGDATA")" && pwd)/$(basename "$PERF_PGDATA")
  KEEP_PGDATA=1
else
  PGDATA=$WORK/pg
  KEEP_PGDATA=0
fi
[ -d "$PGDATA" ] || install -d -o postgres -g postgres -m 700 "$PGDATA"

pg() {
  su postgres -s /bin/sh -c "$*"
}

cleanup() {
  set +e
  [ -f "$WORK/redis.pid" ] && kill "$(cat "$WORK/redis.pid")" 2>/dev/null
  [ -f "$PGDATA/postmaster.pid" ] && pg "$PGBIN/pg_ctl -D $PGDATA -m fast -w stop" >/dev/null
  rm -rf "$WORK"
  [ "$KEEP_PGDATA" = 1 ] || rm -rf "$PGDATA"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ! -f "$PGDATA/PG_VERSION" ]; then
  pg "$PGBIN/initdb -D $PGDATA -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync" >/dev/null
fi
echo "== PostgreSQL ($PGBIN) on port $PGPORT, data in $PGDATA" >&2
pg "$PGBIN/pg_ctl -D $PGDATA -l $PGRUN/pg.log -w -t 120 -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGRUN \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${PERF_PG_OPTS:-}\" start" \
  >/dev/null || { cat "$PGRUN/pg.log" >&2 2>/dev/null; exit 1; }
"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -t 30
if ! "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" \
    | grep -q 1; then
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$DBNAME"
fi

echo "== Redis on port $REDIS_PORT" >&2
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
  --dir "$WORK" --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
# Up to 30 s: on a busy machine (a benchmark beside it) Redis has been seen to need more than 5.
for _ in $(seq 1 300); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  echo "Redis did not answer on port $REDIS_PORT within 30 s; its log:" >&2
  cat "$WORK/redis.log" >&2 2>/dev/null
  exit 1
fi

export DATABASE_URL="postgresql://postgres@127.0.0.1:$PGPORT/$DBNAME"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export MYBUSINESS_REDIS_PORT="$REDIS_PORT"
export MYBUSINESS_REDIS_DIR="$WORK"

# Not exec: the trap stops the servers once CMD is done.
status=0
"$@" || status=$?
exit "$status"
