#!/usr/bin/env bash
# Photos (issue 17's targets):
#   1. A 12-megapixel JPEG made into every file pages need: time and peak memory
#      (`cargo bench --bench media`), and the resizer against the `image` crate's own.
#   2. A kept image file served as browsers ask for it (`Accept: image/avif,image/webp,…`,
#      a reader cookie, the hot lead image of a breaking story) next to nginx serving the
#      same bytes from disk; target: at least half nginx's requests a second.
# Prints a table; says plainly when a target is missed.
#   ./bench/media.sh                 (about 2 minutes after the build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DURATION="${SECONDS_PER_RUN:-10}"
WORK="$(mktemp -d)"
APP_PORT=3230
NGINX_PORT=3231
trap 'kill $(jobs -p) 2>/dev/null || true; [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

need wrk nginx curl
"$ROOT/dev.sh" build
BIN="$TARGET_DIR/release/copydesk"
export RUST_LOG=warn

say "1. A 12-megapixel JPEG made into its files"
COPYDESK_BENCH_JPEG="$WORK/photo.jpg" cargo bench --no-default-features --features ssr --bench media | tee "$WORK/upload.txt"

say "2. Its lead image file over HTTP as browsers ask, next to nginx serving the same bytes"
mkdir -p "$WORK/story"
cp "$WORK/photo.jpg" "$WORK/story/photo.jpg"
cat >"$WORK/story/story.md" <<'MD'
---
title: Breaking Story With a Lead Photo
byline: Bench Desk
published: 2026-12-01T08:00:00Z
image: photo.jpg
image_alt: A generated test photo
image_caption: The photo every reader of the breaking story loads
---
The story everyone is reading, with its photo above it.
MD
DATABASE_URL="sqlite://$WORK/media.db" "$BIN" migrate >/dev/null
started=$(date +%s%N)
DATABASE_URL="sqlite://$WORK/media.db" "$BIN" import "$WORK/story/story.md"
import_ms=$(( ($(date +%s%N) - started) / 1000000 ))
start_app "$WORK/media.db"
page="http://127.0.0.1:$APP_PORT/articles/breaking-story-with-a-lead-photo"
# The file a phone's browser picks first: the lead image's WebP at 640 pixels (from srcset).
file=$(curl -sf "$page" | grep -o '/media/[0-9a-f]*\.webp 640w' | head -1 | cut -d' ' -f1)
[ -n "$file" ] || { echo "no 640-pixel WebP on the page" >&2; exit 1; }
mkdir -p "$WORK/www/media"
curl -sf -o "$WORK/www$file" "http://127.0.0.1:$APP_PORT$file"
bytes=$(stat -c %s "$WORK/www$file")
nginx_conf "$WORK/nginx.conf" "\
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location /media/ { types { image/webp webp; } add_header Cache-Control 'public, max-age=31536000, immutable'; }
  }"
nginx -c "$WORK/nginx.conf" -p "$WORK" &
sleep 0.5
accept="Accept: image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"
cookie="Cookie: copydesk_reader=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ENCODING="gzip, deflate, br, zstd" EXTRA_HEADER="$cookie" EXTRA_HEADER2="$accept"
wrk -t2 -c16 -d2s -H "$cookie" -H "$accept" "http://127.0.0.1:$APP_PORT$file" >/dev/null
read -r app_rps app_p50 app_p99 app_bad app_total < <(load "http://127.0.0.1:$APP_PORT$file" 16)
read -r nginx_rps nginx_p50 nginx_p99 _ < <(load "http://127.0.0.1:$NGINX_PORT$file" 16)
rss_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$APP_PID/status")
stop_app

ratio=$(awk -v a="$app_rps" -v b="$nginx_rps" 'BEGIN { if (b == 0) print 0; else printf "%.2f", a / b }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.5) ? "met" : "MISSED" }')
cat <<TABLE

Copydesk photos, $(date -u +%Y-%m-%d), $(nproc) cores, ${DURATION}s per run, wrk on loopback
| Benchmark | Figure | Target |
|---|---|---|
| 1. 12 MP JPEG made into its files | $(grep '^upload made' "$WORK/upload.txt" | cut -d: -f2-) | report |
| 1. Peak memory while processing | $(grep '^peak memory' "$WORK/upload.txt" | cut -d: -f2-) | report |
| 1. Resizers | $(grep "^image's" "$WORK/upload.txt") | report |
| 1. \`copydesk import\` of the story with that photo | ${import_ms} ms | report |
| 2. Copydesk, the lead image's 640 px WebP ($bytes bytes), 16 conns | $app_rps req/s, p50 $app_p50 ms, p99 $app_p99 ms, $app_bad non-2xx of $app_total | |
| 2. nginx, the same file from disk | $nginx_rps req/s, p50 $nginx_p50 ms, p99 $nginx_p99 ms | reference |
| 2. Copydesk / nginx requests/s | $ratio | >= 0.5: $verdict |
| 2. Peak resident memory of the server | $((rss_kib / 1024)) MiB | |
TABLE
