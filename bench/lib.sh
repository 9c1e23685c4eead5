# Shared by the benchmark scripts: installing tools, generating databases, driving wrk.
# Sourced after ROOT, BIN (the release binary), WORK and DURATION are set.

# say, as_root, apt_install
. "$ROOT/scripts/lib.sh"

need() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] && return
  apt_install "${missing[@]/nginx/nginx-light}"
}

# A database with `articles` articles and `comments` comments. The article benchmarked,
# `bench-article-1`, is the newest and has the same 25 comments at every size.
make_db() {
  local db="$1" articles="$2" comments="$3"
  DATABASE_URL="sqlite://$db" "$BIN" migrate >/dev/null
  sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 20)
INSERT INTO topics (slug, name) SELECT 'topic-' || n, 'Topic ' || n FROM t;
WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < $articles)
INSERT INTO articles (id, slug, title, dek, byline, body_md, status, published_at, revision)
SELECT n, 'bench-article-' || n, 'Benchmark article number ' || n || ' on the harbour budget',
       'A generated standfirst for article ' || n || '.', 'Bench Desk',
       replace(hex(zeroblob(12)), '00',
         'The council debated the harbour budget for a third evening and agreed, by a narrow margin, to ' ||
         'fund the new breakwater from next year. Residents asked for the *timetable* and the costs. ' ||
         char(10) || char(10)),
       'published', strftime('%Y-%m-%dT%H:%M:%SZ', 1790000000 - n * 600, 'unixepoch'), 1
FROM a;
INSERT INTO article_revisions (article_id, revision, title, dek, byline, body_md, created_at)
SELECT id, 1, title, dek, byline, body_md, published_at FROM articles;
INSERT INTO article_topics (article_id, topic_id, position) SELECT id, 1 + id % 20, 0 FROM articles;
INSERT INTO article_topics (article_id, topic_id, position) SELECT id, 1 + (id + 7) % 20, 1 FROM articles;
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $comments)
INSERT INTO comments (article_id, depth, author_name, body, status, client_hash, author_token, created_at)
SELECT CASE WHEN n <= 25 THEN 1 ELSE 2 + n % ($articles - 1) END, 0, 'Reader ' || n,
       'A generated comment, number ' || n || ', about the breakwater and what it will cost.',
       'published', 'bench', 'bench', strftime('%Y-%m-%dT%H:%M:%SZ', 1790000000 + n, 'unixepoch')
FROM c;
COMMIT;
ANALYZE;
SQL
}

# start_app DB [VAR=value...]: the release server on DB (SQLite file) at $APP_PORT, with
# extra environment.
start_app() {
  local db="$1"
  shift
  env "$@" DATABASE_URL="sqlite://$db" COPYDESK_LISTEN="127.0.0.1:$APP_PORT" "$BIN" serve >"$WORK/app.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 200); do
    curl -sf -o /dev/null "http://127.0.0.1:$APP_PORT/" && return
    sleep 0.05
  done
  echo "the server did not start" >&2; cat "$WORK/app.log" >&2; exit 1
}

stop_app() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; }

# wrk's figures for one URL: "requests/s p50_ms p99_ms non_3xx requests". Requests say
# `Accept-Encoding: identity` unless ENCODING names what to accept (browsers send
# "gzip, deflate, br, zstd"); EXTRA_HEADER adds one more header (a cookie, say).
load() {
  local url="$1" connections="$2" script="${3:-}"
  local args=(-t2 -c"$connections" -d"${DURATION}s" --latency -H "Accept-Encoding: ${ENCODING:-identity}")
  [ -n "$script" ] && args+=(-s "$script")
  [ -n "${EXTRA_HEADER:-}" ] && args+=(-H "$EXTRA_HEADER")
  [ -n "${EXTRA_HEADER2:-}" ] && args+=(-H "$EXTRA_HEADER2")
  wrk --timeout 5s "${args[@]}" "$url" 2>&1 | tee -a "$WORK/wrk.log" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx or 3xx/ { bad = $NF }
    /requests in/ { total = $1 }
    END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, bad, total }'
}


# post_script FILE: a wrk script posting comments, each from its own reader address.
post_script() {
cat >"$1" <<'LUA'
local counter = 0
local thread_id = 0
setup = function(thread) thread_id = thread_id + 1; thread:set("tid", thread_id) end
request = function()
  counter = counter + 1
  local ip = string.format("10.%d.%d.%d", tid, math.floor(counter / 250) % 250, counter % 250 + 1)
  local body = string.format("name=Bench+writer&body=Benchmark+comment+%d-%d", tid, counter)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded", ["X-Forwarded-For"] = ip }, body)
end
LUA
}

# nginx_conf FILE HTTP [MAIN]: a configuration for nginx in the foreground, logging only errors
# under $WORK, whose http block holds HTTP (and whose main context starts with MAIN).
nginx_conf() {
  cat >"$1" <<CONF
${3:-}
worker_processes auto;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
$2
}
CONF
}
