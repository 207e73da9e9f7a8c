#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests, from Debian's postgresql package, on loopback only.
#
#   scripts/pg_test_server.sh start DIR PORT   # initdb into DIR (if new), start on 127.0.0.1:PORT
#   scripts/pg_test_server.sh stop DIR         # stop it (fast shutdown); DIR is kept
#   scripts/pg_test_server.sh url DIR PORT     # print the connection URL the tests use
#
# The server listens on 127.0.0.1 and on a Unix socket inside DIR, trusts local connections (it
# holds test data only, and nothing outside this machine can reach it) and runs with fsync on, as
# a real one would. PostgreSQL refuses to run as root: as root, DIR is given to the `postgres`
# user that Debian's package creates and the server runs as that user.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
port=${3:-55432}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop|url DIR [PORT]" >&2
  exit 2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg_test_server: PostgreSQL is not installed (bash scripts/setup.sh installs it)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U concordat --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # A server left running by an interrupted run is stopped first.
    as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 &&
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=200" \
      start >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U concordat -d postgres -q -t \
      -c "SELECT 1 FROM pg_database WHERE datname = 'concordat_test'" | grep -q 1 ||
      as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U concordat concordat_test
    echo "postgresql://concordat@127.0.0.1:$port/concordat_test"
    ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] || exit 0
    as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 || exit 0
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  url)
    echo "postgresql://concordat@127.0.0.1:$port/concordat_test"
    ;;
  *)
    echo "usage: $0 start|stop|url DIR [PORT]" >&2
    exit 2
    ;;
esac
