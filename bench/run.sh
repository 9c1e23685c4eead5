#!/usr/bin/env bash
# Copydesk's benchmarks: builds the release server, generates databases, drives the server
# with wrk on loopback next to nginx serving the same bytes, and prints a table of figures.
# Figures that compare are ratios from the same run: machines differ.
#
#   ./bench/run.sh            all benchmarks (about 3 minutes after the build)
#   SECONDS_PER_RUN=5 ./bench/run.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DURATION="${SECONDS_PER_RUN:-10}"
WORK="$(mktemp -d)"
APP_PORT=3200
NGINX_PORT=3201
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

need wrk nginx sqlite3 curl
"$ROOT/dev.sh" build
BIN="$TARGET_DIR/release/copydesk"
export COPYDESK_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=warn

# nginx serving the article the server rendered, as a static file, beside it.
start_nginx() {
  mkdir -p "$WORK/www"
  cp "$WORK/article.html" "$WORK/www/article.html"
  nginx_conf "$WORK/nginx.conf" "\
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location / { default_type text/html; }
  }"
  nginx -c "$WORK/nginx.conf" -p "$WORK" &
  sleep 0.5
}

say "Generating databases (1,000 articles; 100,000 articles with 1,000,000 comments)"
make_db "$WORK/small.db" 1000 25
make_db "$WORK/large.db" 100000 1000000

ARTICLE="/articles/bench-article-1"
say "1. Article page at 64 connections: Copydesk and nginx, same bytes, taking turns"
start_app "$WORK/small.db"
curl -s -H "Accept-Encoding: identity" "http://127.0.0.1:$APP_PORT$ARTICLE" >"$WORK/article.html"
start_nginx
wrk -t2 -c64 -d2s "http://127.0.0.1:$APP_PORT$ARTICLE" >/dev/null # warm-up
wrk -t2 -c64 -d2s "http://127.0.0.1:$NGINX_PORT/article.html" >/dev/null
# The two take turns, three rounds each, and the medians are compared: the machine's
# speed drifts (nginx alone varied by a third between runs), and this way both see it.
: >"$WORK/rounds"
for round in 1 2 3; do
  echo "app $(load "http://127.0.0.1:$APP_PORT$ARTICLE" 64)" >>"$WORK/rounds"
  echo "nginx $(load "http://127.0.0.1:$NGINX_PORT/article.html" 64)" >>"$WORK/rounds"
done
kill "$(cat "$WORK/nginx.pid")"
median_of() { awk -v who="$1" '$1 == who' "$WORK/rounds" | sort -k2,2n | sed -n 2p | cut -d' ' -f2-; }
read -r app_rps app_p50 app_p99 app_bad _ < <(median_of app)
read -r nginx_rps nginx_p50 nginx_p99 _ < <(median_of nginx)
app_rounds=$(awk '$1 == "app" { printf "%s%s", sep, $2; sep = ", " }' "$WORK/rounds")
nginx_rounds=$(awk '$1 == "nginx" { printf "%s%s", sep, $2; sep = ", " }' "$WORK/rounds")
worst_ratio=$(awk '$1 == "app" { a[++n] = $2 } $1 == "nginx" { b[++m] = $2 } END { w = 9; for (i = 1; i <= n; i++) if (a[i] / b[i] < w) w = a[i] / b[i]; printf "%.2f", w }' "$WORK/rounds")
app_rss_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$APP_PID/status")
read -r small_front_rps small_front_p50 _ < <(load "http://127.0.0.1:$APP_PORT/" 64)
read -r _ small_article_p50 _ < <(load "http://127.0.0.1:$APP_PORT$ARTICLE" 64)
cache_state=$(curl -s -o /dev/null -D - "http://127.0.0.1:$APP_PORT$ARTICLE" | awk -F': ' 'tolower($1) == "x-copydesk-cache" { print $2 }' | tr -d '\r')
say "5. Client weight of an article page (JS and wasm, compressed as served; the CSS is inlined in the HTML)"
weight=0
for asset in $(grep -oE '/pkg/[^"]+\.(js|wasm|css)' "$WORK/article.html" | sort -u); do
  bytes=$(curl -s -H "Accept-Encoding: br, gzip" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$APP_PORT$asset")
  echo "   $asset: $bytes bytes" >&2
  weight=$((weight + bytes))
done
html_bytes=$(curl -s -H "Accept-Encoding: br" -o /dev/null -w '%{size_download}' "http://127.0.0.1:$APP_PORT$ARTICLE")

say "6. Lighthouse (mobile) on the article page"
lighthouse="n/a"
if CHROME_PATH=/usr/bin/chromium npx --yes lighthouse@12.2.3 "http://127.0.0.1:$APP_PORT$ARTICLE" \
  --quiet --form-factor=mobile --only-categories=performance,accessibility,best-practices,seo \
  --chrome-flags="--headless --no-sandbox --disable-gpu" --output=json --output-path="$WORK/lighthouse.json" >&2; then
  lighthouse=$(node -e '
    const r = require(process.argv[1]);
    console.log(["performance", "accessibility", "best-practices", "seo"].map((c) => `${r.categories[c].title} ${Math.round(r.categories[c].score * 100)}`).join(", "));
  ' "$WORK/lighthouse.json")
fi
stop_app

say "1b. The same without the page cache: every request rendered from the database"
start_app "$WORK/small.db" COPYDESK_PAGE_CACHE_MB=0
read -r raw_rps raw_p50 raw_p99 _ < <(load "http://127.0.0.1:$APP_PORT$ARTICLE" 64)
read -r _ raw_small_front_p50 _ < <(load "http://127.0.0.1:$APP_PORT/" 64)
stop_app

say "2. Growth: the same pages with 100,000 articles and 1,000,000 comments"
start_app "$WORK/large.db"
wrk -t2 -c64 -d2s "http://127.0.0.1:$APP_PORT$ARTICLE" >/dev/null
read -r _ large_article_p50 _ < <(load "http://127.0.0.1:$APP_PORT$ARTICLE" 64)
read -r _ large_front_p50 _ < <(load "http://127.0.0.1:$APP_PORT/" 64)
stop_app
start_app "$WORK/large.db" COPYDESK_PAGE_CACHE_MB=0
read -r _ raw_large_article_p50 _ < <(load "http://127.0.0.1:$APP_PORT$ARTICLE" 64)
read -r _ raw_large_front_p50 _ < <(load "http://127.0.0.1:$APP_PORT/" 64)
stop_app

say "3. Comment writes at 32 connections (every write committed with synchronous=FULL)"
post_script "$WORK/post.lua"
cp "$WORK/small.db" "$WORK/writes.db"
start_app "$WORK/writes.db"
read -r write_rps write_p50 write_p99 write_bad write_total < <(load "http://127.0.0.1:$APP_PORT$ARTICLE/comments" 32 "$WORK/post.lua")
stop_app
stored=$(sqlite3 "$WORK/writes.db" "SELECT COUNT(*) FROM comments WHERE author_name = 'Bench writer'")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
cat <<TABLE

Copydesk benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, ${DURATION}s per run, wrk on loopback
Rows 1-4 send "Accept-Encoding: identity" (comparable with earlier runs); bench/traffic.sh measures reads as browsers make them.
| Benchmark                                   | Figure                                   | Target        |
|---------------------------------------------|------------------------------------------|---------------|
| 1. Article page, 64 conns: Copydesk (median of 3) | $app_rps req/s, p50 $app_p50 ms, p99 $app_p99 ms, $app_bad errors; rounds: $app_rounds | p99 < 10 ms |
| 1. Same bytes from nginx (median of 3)      | $nginx_rps req/s, p50 $nginx_p50 ms, p99 $nginx_p99 ms; rounds: $nginx_rounds |               |
| 1. Copydesk / nginx requests/s              | $(ratio "$app_rps" "$nginx_rps") of the medians; lowest round $worst_ratio (page cache: $cache_state) | >= 0.50       |
| 1b. Without the page cache (rendered)       | $raw_rps req/s, p50 $raw_p50 ms, p99 $raw_p99 ms; / nginx $(ratio "$raw_rps" "$nginx_rps") |   |
| 2. Article p50, 100k articles / 1k          | $large_article_p50 / $small_article_p50 ms = $(ratio "$large_article_p50" "$small_article_p50") | <= 1.5 |
| 2. Front page p50, 100k articles / 1k       | $large_front_p50 / $small_front_p50 ms = $(ratio "$large_front_p50" "$small_front_p50") | <= 1.5 |
| 2. Same, without the page cache: article    | $raw_large_article_p50 / $raw_p50 ms = $(ratio "$raw_large_article_p50" "$raw_p50") | <= 1.5 |
| 2. Same, without the page cache: front page | $raw_large_front_p50 / $raw_small_front_p50 ms = $(ratio "$raw_large_front_p50" "$raw_small_front_p50") | <= 1.5 |
| 3. Comment POSTs acknowledged, 32 conns     | $write_rps/s ($write_total sent, $write_bad refused, $stored stored), p99 $write_p99 ms | >= 2,000/s |
| 4. Peak resident memory during benchmark 1  | $((app_rss_kib / 1024)) MiB                                | < 64 MiB      |
| 5. JS + wasm of an article, as served       | $weight bytes ($((weight / 1024)) KiB); the HTML itself (with the CSS) $html_bytes bytes | < 100 KiB |
| 6. Lighthouse, mobile, article page         | $lighthouse | 100 each |
TABLE
