#!/usr/bin/env bash
# The article-page and comment-write benchmarks on SQLite and on PostgreSQL, with one app
# server and with two behind nginx, on one machine; prints a table to set beside run.sh's.
# PostgreSQL is a throwaway server from ../postgres.sh; the data is run.sh's small site
# (1,000 articles), moved there with `copydesk export | copydesk import-dump -`.
#
#   ./bench/scale-out.sh
#   SECONDS_PER_RUN=5 ./bench/scale-out.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DURATION="${SECONDS_PER_RUN:-10}"
WORK="$(mktemp -d)"
PG_DIR="$(mktemp -d)"
PORTS=(3210 3211)
LB_PORT=3212
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  "$ROOT/postgres.sh" stop "$PG_DIR"
  rm -rf "$WORK" "$PG_DIR"
}
trap cleanup EXIT

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

need wrk nginx sqlite3 curl  # psql comes with PostgreSQL, which postgres.sh installs
"$ROOT/dev.sh" build
BIN="$TARGET_DIR/release/copydesk"
export COPYDESK_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=warn
ARTICLE="/articles/bench-article-1"

say "Generating the site (1,000 articles) and starting PostgreSQL"
make_db "$WORK/small.db" 1000 25
PG_URL="$("$ROOT/postgres.sh" start "$PG_DIR")"
PG_BASE="${PG_URL%/postgres}"
post_script "$WORK/post.lua"

# fresh_database NAME: a copy of the site in a new database; prints its URL.
fresh_database() {
  local name="$1"
  if [ "$name" = sqlite ]; then
    rm -f "$WORK/copy.db"*
    cp "$WORK/small.db" "$WORK/copy.db"
    echo "sqlite://$WORK/copy.db"
  else
    DATABASE_URL="sqlite://$WORK/small.db" "$BIN" export 2>/dev/null |
      DATABASE_URL="$PG_BASE/$name" "$BIN" import-dump - 2>/dev/null
    psql -q "$PG_BASE/$name" -c ANALYZE
    echo "$PG_BASE/$name"
  fi
}

# start_servers URL COUNT [VAR=value...]: COUNT app servers on the database.
start_servers() {
  local url="$1" count="$2"
  shift 2
  SERVER_PIDS=()
  for i in $(seq 0 $((count - 1))); do
    env "$@" DATABASE_URL="$url" COPYDESK_LISTEN="127.0.0.1:${PORTS[$i]}" "$BIN" serve >"$WORK/app-$i.log" 2>&1 &
    SERVER_PIDS+=($!)
    for _ in $(seq 1 200); do
      curl -sf -o /dev/null "http://127.0.0.1:${PORTS[$i]}/" && continue 2
      sleep 0.05
    done
    echo "server $i did not start" >&2; cat "$WORK/app-$i.log" >&2; exit 1
  done
}

stop_servers() {
  kill "${SERVER_PIDS[@]}"
  wait "${SERVER_PIDS[@]}" 2>/dev/null || true
}

# nginx in front of COUNT servers, taking turns (one wrk client has one address, so the
# example configuration's per-address hash would send it all to one server).
start_balancer() {
  local count="$1" upstream=""
  for i in $(seq 0 $((count - 1))); do upstream+="server 127.0.0.1:${PORTS[$i]};"; done
  nginx_conf "$WORK/nginx.conf" "\
  upstream copydesk { $upstream keepalive 64; }
  server {
    listen 127.0.0.1:$LB_PORT;
    location / {
      proxy_pass http://copydesk;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header X-Forwarded-For \$http_x_forwarded_for;
    }
  }"
  nginx -c "$WORK/nginx.conf" -p "$WORK" &
  sleep 0.5
}

stop_balancer() { kill "$(cat "$WORK/nginx.pid")"; sleep 0.3; }

stored() {
  if [[ "$1" == sqlite:* ]]; then sqlite3 "${1#sqlite://}" "SELECT COUNT(*) FROM comments WHERE author_name = 'Bench writer'"
  else psql -At "$1" -c "SELECT COUNT(*) FROM comments WHERE author_name = 'Bench writer'"; fi
}

# measure LABEL DATABASE SERVERS BALANCED: one row of the table.
measure() {
  local label="$1" kind="$2" count="$3" balanced="$4" url base
  say "$label"
  url="$(fresh_database "$kind")"
  if [ "$balanced" = yes ]; then base="http://127.0.0.1:$LB_PORT"; start_balancer "$count"; else base="http://127.0.0.1:${PORTS[0]}"; fi
  start_servers "$url" "$count"
  wrk -t2 -c64 -d2s "$base$ARTICLE" >/dev/null
  read -r kept_rps _ kept_p99 kept_bad _ < <(load "$base$ARTICLE" 64)
  stop_servers
  start_servers "$url" "$count" COPYDESK_PAGE_CACHE_MB=0
  read -r raw_rps _ raw_p99 raw_bad _ < <(load "$base$ARTICLE" 64)
  stop_servers
  start_servers "$url" "$count"
  read -r write_rps _ write_p99 write_bad write_total < <(load "$base$ARTICLE/comments" 32 "$WORK/post.lua")
  stop_servers
  [ "$balanced" = yes ] && stop_balancer
  printf '| %-30s | %6s req/s, p99 %6s ms, %s errors | %6s req/s, p99 %6s ms, %s errors | %6s/s, p99 %6s ms (%s answered, %s refused, %s stored) |\n' \
    "$label" "$kept_rps" "$kept_p99" "$kept_bad" "$raw_rps" "$raw_p99" "$raw_bad" \
    "$write_rps" "$write_p99" "$write_total" "$write_bad" "$(stored "$url")" >>"$WORK/table"
}

: >"$WORK/table"
measure "SQLite, 1 server" sqlite 1 no
measure "PostgreSQL, 1 server" pg_one 1 no
measure "PostgreSQL, 1 server via nginx" pg_one_lb 1 yes
measure "PostgreSQL, 2 servers via nginx" pg_two 2 yes

cat <<TABLE

Copydesk scale-out benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores (app servers, nginx, PostgreSQL and wrk
share them), ${DURATION}s per run, wrk on loopback; writes are acknowledged only once committed
| Setup                          | 1. Article page, 64 conns, page cache on | 1b. Article page rendered every time | 3. Comment POSTs, 32 conns |
|--------------------------------|------------------------------------------|--------------------------------------|----------------------------|
$(cat "$WORK/table")

Stored can exceed answered: posts still in flight when wrk stops are committed too.
TABLE
