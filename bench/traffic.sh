#!/usr/bin/env bash
# Traffic as a breaking story brings it, measured the way browsers, readers and moderators
# produce it: every read sends a browser's Accept-Encoding; reads spread over 200 articles
# with 40% on one hot story; comments are published on that story at a steady 10 a second,
# or a moderator approves 10 a second; returning commenters carry their cookie; and nginx
# serves the same pages precompressed (brotli_static, gzip_static) in the same run. Prints
# p50/p99 and ratios, and says which targets (issue 15) are met and which are missed.
#
#   ./bench/traffic.sh              (about 4 minutes after the build)
#   SECONDS_PER_RUN=5 ./bench/traffic.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DURATION="${SECONDS_PER_RUN:-10}"
WORK="$(mktemp -d)"
# nginx workers (another user when started as root) read the pages from here.
chmod 755 "$WORK"
APP_PORT=3210
NGINX_PORT=3211
ARTICLES=200
HOT="/articles/bench-article-1"
BROWSER="gzip, deflate, br, zstd"
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

need wrk nginx sqlite3 curl
[ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || apt_install libnginx-mod-http-brotli-static
"$ROOT/dev.sh" build
BIN="$TARGET_DIR/release/copydesk"
export COPYDESK_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=warn

say "A site of $ARTICLES articles, comments published at once (post-moderation), one moderator"
make_db "$WORK/site.db" "$ARTICLES" 2000
DATABASE_URL="sqlite://$WORK/site.db" "$BIN" settings --moderation post >/dev/null
DATABASE_URL="sqlite://$WORK/site.db" COPYDESK_PASSWORD="bench moderator password" "$BIN" staff add \
  --email mod@bench.example --name "Bench Moderator" --role moderator >/dev/null
# Held comments for the moderator to approve: the article is pre-moderated for that run.
sqlite3 "$WORK/site.db" <<'SQL'
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000)
INSERT INTO comments (article_id, depth, author_name, body, status, held_for, client_hash, author_token, created_at)
SELECT 1, 0, 'Held reader ' || n, 'A comment waiting for the moderator, number ' || n || '.', 'pending',
       'premoderation', 'bench-held', 'bench-held', strftime('%Y-%m-%dT%H:%M:%SZ', 1790100000 + n, 'unixepoch')
FROM c;
SQL
# Returning commenters: 2,000 readers, each with the token their browser keeps; every tenth
# has a comment awaiting moderation on some article (the hot story among them).
READERS=2000
reader_token() { printf '%08x%08x%08x%08x' "$1" "$1" "$1" "$1"; }
{
  echo "BEGIN;"
  for i in $(seq 10 10 "$READERS"); do
    hash=$(printf %s "$(reader_token "$i")" | sha256sum | cut -d' ' -f1)
    echo "INSERT INTO comments (article_id, depth, author_name, body, status, held_for, client_hash, author_token, created_at)
      VALUES ($(( (i / 10) % ARTICLES + 1 )), 0, 'Returning reader $i', 'Mine, still waiting.', 'pending', 'premoderation', 'bench-reader', '$hash', '2026-11-30T00:00:00Z');"
  done
  echo "COMMIT;"
} | sqlite3 "$WORK/site.db"

# The read mix: 40% the hot story, the rest spread over every article.
cat >"$WORK/reads.lua" <<LUA
local n = $ARTICLES
local hot = "$HOT"
setup = function(thread) thread:set("seed", math.random(1, 1000000)) end
init = function() math.randomseed(seed) end
request = function()
  local path = hot
  if math.random() >= 0.4 then path = "/articles/bench-article-" .. math.random(1, n) end
  return wrk.format("GET", path)
end
LUA
# The same mix, each request from one of the returning readers, with their cookie.
cat >"$WORK/returning.lua" <<LUA
local n = $ARTICLES
local hot = "$HOT"
local readers = $READERS
setup = function(thread) thread:set("seed", math.random(1, 1000000)) end
init = function() math.randomseed(seed) end
request = function()
  local path = hot
  if math.random() >= 0.4 then path = "/articles/bench-article-" .. math.random(1, n) end
  local r = math.random(1, readers)
  local token = string.format("%08x%08x%08x%08x", r, r, r, r)
  return wrk.format("GET", path, { ["Accept-Encoding"] = "$BROWSER", ["Cookie"] = "copydesk_reader=" .. token })
end
LUA

# comments_at_10_per_second: posts comments on the hot story (each from its own address)
# until killed; prints nothing.
comments_at_10_per_second() {
  local i=0
  while :; do
    i=$((i + 1))
    curl -s -o /dev/null -H "X-Forwarded-For: 10.99.$((i / 250 % 250)).$((i % 250 + 1))" \
      --data "name=Live+reader&body=Live+comment+$i" "http://127.0.0.1:$APP_PORT$HOT/comments" &
    sleep 0.1
  done
}

# approvals_at_10_per_second COOKIE: the moderator approves held comments, oldest first.
approvals_at_10_per_second() {
  local cookie="$1" id
  for id in $(sqlite3 "$WORK/site.db" "SELECT id FROM comments WHERE status = 'pending' AND author_token = 'bench-held' ORDER BY id"); do
    curl -s -o /dev/null -H "Cookie: $cookie" -H "Origin: http://127.0.0.1:$APP_PORT" \
      --data "one=approve:$id" "http://127.0.0.1:$APP_PORT/staff/comments/moderate" &
    sleep 0.1
  done
}

say "nginx: the same pages as stored files, precompressed (Brotli and gzip, as Copydesk keeps them)"
start_app "$WORK/site.db"
mkdir -p "$WORK/www/articles"
for n in $(seq 1 "$ARTICLES"); do
  url="http://127.0.0.1:$APP_PORT/articles/bench-article-$n"
  curl -sf -H "Accept-Encoding: identity" -o "$WORK/www/articles/bench-article-$n.html" "$url"
  curl -sf -H "Accept-Encoding: br" -o "$WORK/www/articles/bench-article-$n.html.br" "$url"
  curl -sf -H "Accept-Encoding: gzip" -o "$WORK/www/articles/bench-article-$n.html.gz" "$url"
done
hot_bytes=$(stat -c %s "$WORK/www/articles/bench-article-1.html")
hot_br=$(stat -c %s "$WORK/www/articles/bench-article-1.html.br")
nginx_conf "$WORK/nginx.conf" "\
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location /articles/ {
      default_type text/html;
      brotli_static on;
      gzip_static on;
      etag on;
      try_files \$uri.html =404;
    }
  }" "load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;"
nginx -c "$WORK/nginx.conf" -p "$WORK" &
sleep 0.5
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: br' "http://127.0.0.1:$NGINX_PORT$HOT")" = 200 ] || {
  echo "nginx did not serve the pages" >&2; cat "$WORK/nginx-error.log" >&2; exit 1
}
nginx_encoding=$(curl -s -o /dev/null -D - -H "Accept-Encoding: $BROWSER" "http://127.0.0.1:$NGINX_PORT$HOT" | awk -F': ' 'tolower($1) == "content-encoding" { print $2 }' | tr -d '\r')
app_encoding=$(curl -s -o /dev/null -D - -H "Accept-Encoding: $BROWSER" "http://127.0.0.1:$APP_PORT$HOT" | awk -F': ' 'tolower($1) == "content-encoding" { print $2 }' | tr -d '\r')

export ENCODING="$BROWSER"
wrk -t2 -c64 -d2s -s "$WORK/reads.lua" -H "Accept-Encoding: $BROWSER" "http://127.0.0.1:$APP_PORT" >/dev/null
wrk -t2 -c64 -d2s -s "$WORK/reads.lua" -H "Accept-Encoding: $BROWSER" "http://127.0.0.1:$NGINX_PORT" >/dev/null
say "1. Reads (browser Accept-Encoding, 64 connections): Copydesk and nginx taking turns, three rounds"
: >"$WORK/rounds"
for round in 1 2 3; do
  echo "app $(load "http://127.0.0.1:$APP_PORT" 64 "$WORK/reads.lua")" >>"$WORK/rounds"
  echo "nginx $(load "http://127.0.0.1:$NGINX_PORT" 64 "$WORK/reads.lua")" >>"$WORK/rounds"
done
median_of() { awk -v who="$1" '$1 == who' "$WORK/rounds" | sort -k2,2n | sed -n 2p | cut -d' ' -f2-; }
read -r reads_rps reads_p50 reads_p99 reads_bad _ < <(median_of app)
read -r nginx_rps nginx_p50 nginx_p99 _ < <(median_of nginx)
kill "$(cat "$WORK/nginx.pid")"

say "1b. The hot story alone, the same encoding (the benchmark of the first issue, with compression)"
read -r hot_rps hot_p50 hot_p99 _ < <(load "http://127.0.0.1:$APP_PORT$HOT" 64)

say "3. Reads while 10 comments a second are published on the hot story"
before=$(sqlite3 "$WORK/site.db" "SELECT COUNT(*) FROM comments WHERE author_name = 'Live reader'")
comments_at_10_per_second &
WRITER=$!
sleep 1
read -r live_rps live_p50 live_p99 live_bad _ < <(load "http://127.0.0.1:$APP_PORT" 64 "$WORK/reads.lua")
kill "$WRITER"; wait "$WRITER" 2>/dev/null || true
sleep 0.5
published=$(( $(sqlite3 "$WORK/site.db" "SELECT COUNT(*) FROM comments WHERE author_name = 'Live reader' AND status = 'published'") - before ))

say "3b. Reads while a moderator approves 10 held comments a second"
cookie=$(curl -s -o /dev/null -D - -H "Origin: http://127.0.0.1:$APP_PORT" \
  --data "email=mod@bench.example&password=bench+moderator+password&next=/staff" \
  "http://127.0.0.1:$APP_PORT/staff/login" | awk -F': ' 'tolower($1) == "set-cookie" { split($2, a, ";"); print a[1] }')
[ -n "$cookie" ] || { echo "the moderator could not sign in" >&2; exit 1; }
approved_before=$(sqlite3 "$WORK/site.db" "SELECT COUNT(*) FROM comments WHERE author_token = 'bench-held' AND status = 'published'")
approvals_at_10_per_second "$cookie" &
MODERATOR=$!
sleep 1
read -r mod_rps mod_p50 mod_p99 mod_bad _ < <(load "http://127.0.0.1:$APP_PORT" 64 "$WORK/reads.lua")
kill "$MODERATOR"; wait "$MODERATOR" 2>/dev/null || true
sleep 0.5
approved=$(( $(sqlite3 "$WORK/site.db" "SELECT COUNT(*) FROM comments WHERE author_token = 'bench-held' AND status = 'published'") - approved_before ))

say "4. Returning commenters: $READERS readers with their cookies, a tenth with a comment awaiting"
read -r back_rps back_p50 back_p99 back_bad _ < <(load "http://127.0.0.1:$APP_PORT" 64 "$WORK/returning.lua")
say "4b. Signed-in staff reading the site"
read -r staff_rps staff_p50 staff_p99 _ < <(EXTRA_HEADER="Cookie: $cookie" load "http://127.0.0.1:$APP_PORT" 64 "$WORK/reads.lua")
stop_app

say "5. Every page rendered (COPYDESK_PAGE_CACHE_MB=0)"
start_app "$WORK/site.db" COPYDESK_PAGE_CACHE_MB=0
read -r raw_rps raw_p50 raw_p99 _ < <(load "http://127.0.0.1:$APP_PORT" 64 "$WORK/reads.lua")
read -r raw_id_rps raw_id_p50 raw_id_p99 _ < <(ENCODING=identity load "http://127.0.0.1:$APP_PORT$HOT" 64)
stop_app

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "n/a") print "n/a"; else if (v + 0 >= t + 0) print "met"; else print "MISSED" }'; }
below() { awk -v v="$1" -v t="$2" 'BEGIN { if (v + 0 < t + 0) print "met"; else print "MISSED" }'; }
r1=$(ratio "$reads_rps" "$nginx_rps")
r3=$(ratio "$live_rps" "$reads_rps")
r3b=$(ratio "$mod_rps" "$reads_rps")
r4=$(ratio "$back_rps" "$reads_rps")
r5=$(ratio "$raw_id_rps" 800)
cat <<TABLE

Copydesk under real traffic, $(date -u +%Y-%m-%d), $(nproc) cores, ${DURATION}s per run, wrk, 64 connections on loopback
Reads: 40% $HOT, 60% over $ARTICLES articles; every request sends "Accept-Encoding: $BROWSER"
(Copydesk answers $app_encoding, nginx $nginx_encoding; the hot page is $hot_bytes bytes, $hot_br as Brotli).
| Run | Copydesk | Ratio | Target | |
|---|---|---|---|---|
| 1. Reads (median of 3) | $reads_rps req/s, p50 $reads_p50 ms, p99 $reads_p99 ms, $reads_bad errors | $r1 of nginx ($nginx_rps req/s, p99 $nginx_p99 ms) | >= 0.50, p99 < 10 ms | $(verdict "$r1" 0.5), p99 $(below "$reads_p99" 10) |
| 1b. The hot story alone | $hot_rps req/s, p50 $hot_p50 ms, p99 $hot_p99 ms | | | |
| 3. Reads + 10 comments/s published on the hot story | $live_rps req/s, p99 $live_p99 ms, $live_bad errors; $published published | $r3 of reads alone | >= 0.80 | $(verdict "$r3" 0.8) |
| 3b. Reads + a moderator approving 10/s | $mod_rps req/s, p99 $mod_p99 ms, $mod_bad errors; $approved approved | $r3b of reads alone | >= 0.80 | $(verdict "$r3b" 0.8) |
| 4. Returning commenters ($READERS, a tenth with a comment awaiting) | $back_rps req/s, p99 $back_p99 ms, $back_bad errors | $r4 of anonymous reads | >= 0.50 | $(verdict "$r4" 0.5) |
| 4b. Signed-in staff reading | $staff_rps req/s, p99 $staff_p99 ms | $(ratio "$staff_rps" "$reads_rps") of anonymous reads | | |
| 5. Rendered every time, browser encoding (on-the-fly compression) | $raw_rps req/s, p50 $raw_p50 ms, p99 $raw_p99 ms | | | |
| 5. Rendered every time, hot story, identity | $raw_id_rps req/s, p99 $raw_id_p99 ms | $r5 x the 800/s bench/run.sh 1b measured before this work (a 25-comment page; the hot story has more by now) | >= 3x | $(verdict "$r5" 3) |
TABLE
