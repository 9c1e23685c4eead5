#!/usr/bin/env bash
# Lighthouse on a story with a lead image and three body images (issue 17's page target):
# mobile, with Lighthouse's simulated throttling (slow 4G, a 4x slower CPU), the release
# server on the demo site. Targets: 100 in performance, accessibility, best practices and
# SEO; Largest Contentful Paint <= 1.2 s; Cumulative Layout Shift 0. Prints a table of the
# median of RUNS runs and says plainly when a target is missed.
#   ./bench/lighthouse.sh            (about 2 minutes after the build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
RUNS="${RUNS:-3}"
WORK="$(mktemp -d)"
APP_PORT=3240
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

need curl sqlite3 chromium node npm
"$ROOT/dev.sh" build
BIN="$TARGET_DIR/release/copydesk"
export RUST_LOG=warn

# Lighthouse 12.2.3: 13 needs Node 22 (see the machine notes). Installed once, in target/.
LH_DIR="$TARGET_DIR/lighthouse"
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
  say "Installing Lighthouse 12.2.3 from npm"
  mkdir -p "$LH_DIR"
  (cd "$LH_DIR" && npm init -y >/dev/null && npm i -E --no-audit --no-fund lighthouse@12.2.3 >&2)
fi

say "The demo site, its three lead images, and a story with a lead image and three body images"
DB="$WORK/lighthouse.db"
DATABASE_URL="sqlite://$DB" "$BIN" migrate >/dev/null
start_app "$DB" COPYDESK_DEMO=1
for _ in $(seq 1 300); do
  [ "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM media')" = 3 ] && break
  sleep 0.1
done
[ "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM media')" = 3 ] || { echo "the demo's lead images were not made" >&2; exit 1; }
mkdir -p "$WORK/story"
# The lead: the widest JPEG of the demo's first image, imported again as a new library photo.
lead_hash=$(sqlite3 "$DB" "SELECT hash FROM media_variants WHERE media_id = 1 AND kind = 'w' AND format = 'jpeg' ORDER BY width DESC LIMIT 1")
curl -sf -o "$WORK/story/lead.jpg" "http://127.0.0.1:$APP_PORT/media/$lead_hash.jpg"
stop_app
cat >"$WORK/story/story.md" <<'MD'
---
title: Storm Closes the Harbour as Ferries Stay in Port
byline: Bench Desk
published: 2026-12-01T08:00:00Z
topics: [Transport, City Hall]
image: lead.jpg
image_alt: "Illustration: towers against a dawn sky, reflected in the water"
image_caption: The harbour front before the storm arrived
dek: Wind gusts of 110 km/h kept every ferry in port on Tuesday, and the harbour office expects the closure to last until Thursday.
---
The harbour office closed the port to all traffic at six on Tuesday morning, when gusts on the outer breakwater passed 110 kilometres an hour. Every ferry stayed at its berth, and the two cargo ships due in the afternoon were told to wait offshore.

"We will not open the harbour until the wind has dropped below 60 for six hours," said the harbour master, who expects that on Thursday at the earliest.

![Illustration: the river under a low orange sun](media:2 "The river mouth, where the ferries turn")

Ferry passengers were offered places on extra trains to the mainland, which ran every half hour from nine. The railway said 4,000 people had used them by noon.

Shops on the quay closed early, and the council put sandbags along the lowest stretch of the promenade, where the sea came over the wall during the last storm in February.

![Illustration: green hills above a lake](media:3 "The hills behind the town, sheltered from the wind")

The weather service expects the wind to ease on Wednesday evening. Its warning for the coast stays in force until then.

![Illustration: the eastern district's towers at dawn](media:1 "The eastern district, where the power went out for an hour")

Readers can follow the harbour office's updates on its site, and the ferry companies will refund tickets for cancelled crossings.
MD
DATABASE_URL="sqlite://$DB" "$BIN" import "$WORK/story/story.md" >/dev/null
start_app "$DB"
story="http://127.0.0.1:$APP_PORT/articles/storm-closes-the-harbour-as-ferries-stay-in-port"
html=$(curl -sf "$story")
[ "$(grep -o '<figure class="photo' <<<"$html" | wc -l)" -ge 4 ] || { echo "the story does not show four photos" >&2; exit 1; }
# Warm: the page cache keeps the page, the file cache the photos.
curl -sf -o /dev/null "$story"

say "Lighthouse, $RUNS runs, mobile, simulated throttling"
for run in $(seq 1 "$RUNS"); do
  "$LH_DIR/node_modules/.bin/lighthouse" "$story" --quiet \
    --chrome-path=/usr/bin/chromium --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$WORK/run-$run.json" >&2
done
stop_app

node - "$WORK" "$RUNS" <<'JS'
const fs = require("fs");
const [work, runs] = [process.argv[2], Number(process.argv[3])];
const reports = [...Array(runs).keys()].map((i) => JSON.parse(fs.readFileSync(`${work}/run-${i + 1}.json`)));
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const score = (id) => median(reports.map((r) => Math.round(r.categories[id].score * 100)));
const audit = (id) => median(reports.map((r) => r.audits[id].numericValue));
const rows = [];
let missed = 0;
for (const [id, name] of [["performance", "Performance"], ["accessibility", "Accessibility"], ["best-practices", "Best practices"], ["seo", "SEO"]]) {
  const s = score(id);
  if (s < 100) missed++;
  rows.push(`| ${name} | ${s} (runs: ${reports.map((r) => Math.round(r.categories[id].score * 100)).join(", ")}) | 100: ${s === 100 ? "met" : "MISSED"} |`);
}
const lcp = audit("largest-contentful-paint");
const cls = audit("cumulative-layout-shift");
if (lcp > 1200) missed++;
if (cls > 0) missed++;
rows.push(`| Largest Contentful Paint | ${(lcp / 1000).toFixed(2)} s | <= 1.2 s: ${lcp <= 1200 ? "met" : "MISSED"} |`);
rows.push(`| Cumulative Layout Shift | ${cls.toFixed(3)} | 0: ${cls === 0 ? "met" : "MISSED"} |`);
rows.push(`| First Contentful Paint | ${(audit("first-contentful-paint") / 1000).toFixed(2)} s | |`);
rows.push(`| Total Blocking Time | ${Math.round(audit("total-blocking-time"))} ms | |`);
const last = reports[reports.length - 1];
const bytes = last.audits["total-byte-weight"].numericValue;
const requests = last.audits["network-requests"].details.items;
rows.push(`| Transferred | ${(bytes / 1024).toFixed(1)} KiB in ${requests.length} requests | |`);
const lcpElement = last.audits["largest-contentful-paint-element"]?.details?.items?.[0]?.items?.[0]?.node?.snippet;
console.log(`\nLighthouse ${last.lighthouseVersion}, ${new Date().toISOString().slice(0, 10)}, mobile, simulated throttling, median of ${runs}`);
console.log("| Measure | Figure | Target |\n|---|---|---|\n" + rows.join("\n"));
if (lcpElement) console.log(`\nLargest Contentful Paint element: ${lcpElement}`);
const failing = Object.values(last.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual");
if (failing.length) console.log("\nAudits below full marks (last run):\n" + failing.map((a) => `- ${a.id}: ${a.title} (${a.displayValue ?? a.score})`).join("\n"));
console.log(missed ? `\n${missed} target(s) MISSED` : "\nAll targets met");
JS
