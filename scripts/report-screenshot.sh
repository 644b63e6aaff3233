#!/bin/sh
# Re-takes docs/report.png: the HTML report of Corpus/buckets, with the demo audit account so that
# public and shared buckets are marked on the map, rendered by headless Chromium at 1280x2000.
# Run from anywhere; needs chromium (or $TRAWL_CHROMIUM) and builds trawl in debug if needed.
set -eu
cd "$(dirname "$0")/.."
browser="${TRAWL_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
[ -n "$browser" ] || { echo "report-screenshot: chromium not found (apt-get install chromium)" >&2; exit 1; }
swift build --product trawl >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
.build/debug/trawl scan Corpus/buckets --identifiers all --audit Tests/TrawlReportTests/Resources/demo-account \
  --format html --yes --no-progress --job-id demo --output "$work/report.html" >/dev/null || status=$?
[ "$status" -le 1 ] || { echo "report-screenshot: trawl scan failed ($status)" >&2; exit 1; }
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$work/profile" \
  --screenshot="$PWD/docs/report.png" --window-size=1280,2000 "file://$work/report.html" 2>/dev/null
echo "wrote docs/report.png"
