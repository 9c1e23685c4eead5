#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks, from Debian's `postgresql` package
# (installed when missing).
#   ./postgres.sh start DIR   initialise DIR, start a server on a free local port, print its URL
#   ./postgres.sh stop DIR    stop it (DIR can then be deleted)
#   ./postgres.sh crash DIR   stop it at once, as a crash would (the outage tests)
#   ./postgres.sh resume DIR  start it again on the same port
# The server listens on 127.0.0.1 only and trusts local connections: it holds test data.
set -euo pipefail
# say, as_root, apt_install
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/scripts/lib.sh"

bin_dir() {
  local initdb
  initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)"
  if [ -z "$initdb" ]; then
    apt_install postgresql
    initdb="$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)"
  fi
  dirname "$initdb"
}

# initdb refuses to run as root: then the server runs as Debian's `postgres` user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A port nothing on this machine answers on (bash alone: no other tool needed).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

cmd_start() {
  local dir="$1" bin port
  bin="$(bin_dir)"
  mkdir -p "$dir"
  # The server's own user must reach the directory (mktemp makes it private to its creator).
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir" && chmod 700 "$dir"; fi
  # C locale: text sorts by code point, as in SQLite. fsync stays on: the durability test
  # kills app servers, and what PostgreSQL acknowledged must be on disk.
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-locale -E UTF8 >/dev/null
  port="$(free_port)"
  echo "$port" >"$dir/port"
  server_start "$dir" "$bin"
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

server_start() {
  local dir="$1" bin="$2"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $(cat "$dir/port") -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
}

cmd_stop() {
  local dir="$1"
  [ -d "$dir/data" ] || return 0
  as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
}

case "${1:-}" in
  start) cmd_start "${2:?usage: ./postgres.sh start DIR}" ;;
  stop) cmd_stop "${2:?usage: ./postgres.sh stop DIR}" ;;
  crash) cmd_stop "${2:?usage: ./postgres.sh crash DIR}" ;;
  resume) server_start "${2:?usage: ./postgres.sh resume DIR}" "$(bin_dir)" ;;
  *)
    echo "usage: ./postgres.sh start|stop|crash|resume DIR" >&2
    exit 2
    ;;
esac
