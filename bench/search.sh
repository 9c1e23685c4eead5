#!/usr/bin/env bash
# Reader search over 100,000 articles on SQLite (issue 18's target: p50 <= 10 ms a query).
#   1. The data layer, query by query (`cargo bench --bench search`: a name in five
#      stories, a word in most, two words, nothing), first page and page five.
#   2. `/search` over HTTP as browsers ask: Accept-Encoding "gzip, deflate, br, zstd", a
#      reader cookie, eight queries in turn from many reader addresses (the per-reader
#      limit is 60 a minute), next to nginx serving a saved result page, precompressed.
# Prints a table; says plainly when a target is missed.
#   ./bench/search.sh                  (about 4 minutes after the build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DURATION="${SECONDS_PER_RUN:-10}"
WORK="$(mktemp -d)"
APP_PORT=3220
NGINX_PORT=3221
BROWSER="gzip, deflate, br, zstd"
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

need wrk nginx curl sqlite3
[ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || apt_install libnginx-mod-http-brotli-static
"$ROOT/dev.sh" build
BIN="$TARGET_DIR/release/copydesk"
export COPYDESK_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=warn

say "1. The data layer: 100,000 articles written, indexed, then queried"
COPYDESK_BENCH_DB="$WORK/search.db" cargo bench --no-default-features --features ssr --bench search | tee "$WORK/layer.txt"
layer=$(grep '^all queries' "$WORK/layer.txt")

say "2. /search over HTTP as browsers ask, next to nginx serving a saved result page"
start_app "$WORK/search.db"
# Queries of part 1's kinds (two names from the archive, common and rarer words, two words,
# nothing), percent-encoded, each request from its own reader address.
names=$(sqlite3 "$WORK/search.db" "SELECT substr(title, 1, instr(title, ' ') - 1) FROM articles WHERE id IN (4321, 9876)")
queries=$(printf '%s\n' $names council harbour "council said" the "harbour budget" zyxwvutsrq |
  python3 -c 'import sys, urllib.parse; print(", ".join(chr(34) + urllib.parse.quote(l.strip()) + chr(34) for l in sys.stdin if l.strip()))')
cat >"$WORK/search.lua" <<LUA
local queries = { $queries }
LUA
cat >>"$WORK/search.lua" <<'LUA'
local counter = 0
request = function()
  counter = counter + 1
  local q = queries[counter % #queries + 1]
  local ip = string.format("10.%d.%d.%d", math.floor(counter / 62500) % 250, math.floor(counter / 250) % 250, counter % 250 + 1)
  return wrk.format("GET", "/search?q=" .. q, { ["X-Forwarded-For"] = ip })
end
LUA
mkdir -p "$WORK/www"
page="/search?q=council"
curl -sf -H "Accept-Encoding: identity" -H "X-Forwarded-For: 10.255.0.1" -o "$WORK/www/search.html" "http://127.0.0.1:$APP_PORT$page"
curl -sf -H "Accept-Encoding: br" -H "X-Forwarded-For: 10.255.0.2" -o "$WORK/www/search.html.br" "http://127.0.0.1:$APP_PORT$page"
curl -sf -H "Accept-Encoding: gzip" -H "X-Forwarded-For: 10.255.0.3" -o "$WORK/www/search.html.gz" "http://127.0.0.1:$APP_PORT$page"
nginx_conf "$WORK/nginx.conf" "\
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location / { default_type text/html; brotli_static on; gzip_static on; }
  }" "load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;"
nginx -c "$WORK/nginx.conf" -p "$WORK" &
sleep 0.5
cookie="Cookie: copydesk_reader=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
ENCODING="$BROWSER" EXTRA_HEADER="$cookie" wrk -t2 -c16 -d2s -s "$WORK/search.lua" "http://127.0.0.1:$APP_PORT" >/dev/null
read -r app_rps app_p50 app_p99 app_bad app_total < <(ENCODING="$BROWSER" EXTRA_HEADER="$cookie" load "http://127.0.0.1:$APP_PORT" 16 "$WORK/search.lua")
read -r nginx_rps nginx_p50 nginx_p99 _ < <(ENCODING="$BROWSER" load "http://127.0.0.1:$NGINX_PORT/search.html" 16)
rss_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$APP_PID/status")
stop_app

met() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "MISSED" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
cat <<TABLE

Copydesk search, $(date -u +%Y-%m-%d), $(nproc) cores, ${DURATION}s per run, wrk on loopback, 100,000 articles
| Benchmark | Figure | Target |
|---|---|---|
| 1. Data layer, 8 kinds of query (table above) | $layer | p50 <= 10 ms |
| 2. /search over HTTP, 16 conns, br/gzip, cookie | $app_rps req/s, p50 $app_p50 ms, p99 $app_p99 ms, $app_bad non-2xx of $app_total | p50 <= 10 ms: $(met "$app_p50" 10) |
| 2. nginx, the saved result page, precompressed | $nginx_rps req/s, p50 $nginx_p50 ms, p99 $nginx_p99 ms | reference |
| 2. Copydesk / nginx requests/s | $(ratio "$app_rps" "$nginx_rps") | no target (each query is ranked afresh) |
| 2. Peak resident memory of the server | $((rss_kib / 1024)) MiB | |
TABLE
