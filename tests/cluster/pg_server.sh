#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the cluster tests (a ctest fixture):
#   pg_server.sh start DIR   initdb + pg_ctl in a fresh /tmp folder (as the postgres user when run
#                            as root; a short path, as Unix sockets need), listening only on a
#                            socket there; writes the URL to DIR/url and the folder to DIR/home
#   pg_server.sh stop DIR    stops it by its pid file and removes both
# When the server cannot be started, `start` writes the reason to DIR/unavailable and exits 0, so
# that the tests skip and say why instead of failing on a machine without PostgreSQL.
set -uo pipefail
action=${1:?start or stop}
dir=${2:?directory}
bin=/usr/lib/postgresql/15/bin

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    bash "$0" stop "$dir"
    mkdir -p "$dir"
    if [ ! -x "$bin/initdb" ]; then
      echo "PostgreSQL 15 is not installed ($bin/initdb missing; scripts/test.sh installs postgresql-15)" >"$dir/unavailable"
      exit 0
    fi
    home=$(mktemp -d /tmp/eegsweep-pg.XXXXXX)
    echo "$home" >"$dir/home"
    [ "$(id -u)" -eq 0 ] && chown postgres "$home"
    if ! as_owner "$bin/initdb" -D "$home/data" -U eegsweep -A trust --no-sync >"$dir/initdb.log" 2>&1; then
      echo "initdb failed: $(tail -3 "$dir/initdb.log")" >"$dir/unavailable"
      exit 0
    fi
    # Socket only (no TCP port to collide with another test run); fsync off for a test server
    # (EEGSWEEP_PG_FSYNC=on keeps PostgreSQL's durable default, as the benchmark does too).
    durable=${EEGSWEEP_PG_FSYNC:-off}
    if ! as_owner "$bin/pg_ctl" -D "$home/data" -l "$home/server.log" -w -t 60 \
        -o "-k $home -c listen_addresses='' -c fsync=$durable -c synchronous_commit=$durable -c max_connections=60" \
        start >"$dir/pg_ctl.log" 2>&1; then
      echo "pg_ctl start failed: $(tail -3 "$home/server.log" 2>/dev/null)" >"$dir/unavailable"
      exit 0
    fi
    echo "postgresql://eegsweep@/postgres?host=$home" >"$dir/url"
    ;;
  stop)
    home=$(cat "$dir/home" 2>/dev/null)
    if [ -n "$home" ] && [ -f "$home/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$home/data" -m immediate -w stop >/dev/null 2>&1 ||
        kill "$(head -1 "$home/data/postmaster.pid")" 2>/dev/null
    fi
    [ -n "$home" ] && case "$home" in /tmp/eegsweep-pg.*) rm -rf "$home" ;; esac
    rm -rf "$dir"
    ;;
esac
