#!/usr/bin/env bash
# Render an HTML report in headless Chromium and save a PNG of it (the README shows it).
#
#   scripts/screenshot.sh [REPORT.html] [OUT.png] [WIDTH,HEIGHT]
#
# Without a report, builds the yearly summaries of the example dataset (or of the small test
# fixture when the example is absent) into a temporary directory and shoots their index.
# Chromium is started with networking features off: the page must need nothing from outside.
set -euo pipefail
cd "$(dirname "$0")/.."

html="${1:-}"
out="${2:-docs/screenshot.png}"
size="${3:-1280,1400}"

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "error: chromium not found (Debian: apt-get install -y chromium)" >&2
  exit 4
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -z "$html" ]; then
  if [ -f fixtures/sco-2015-2025/activities.csv ]; then
    args=(--activities fixtures/sco-2015-2025/activities.csv --from 2016 --to 2025)
  else
    args=(--rules fixtures/reports-small/rules
          --activities fixtures/reports-small/activities.csv fixtures/reports-small/late-reports.csv
          --from 2016 --to 2018)
  fi
  cargo run -q -- summary "${args[@]}" --format html --out-dir "$work/summaries" 2>/dev/null || true
  html="$work/summaries/index.html"
  [ -f "$html" ] || { echo "error: no report was produced" >&2; exit 1; }
fi

mkdir -p "$(dirname "$out")"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size="$size" --screenshot="$(realpath -m "$out")" \
  "file://$(realpath "$html")" 2>"$work/chromium.log" || {
    cat "$work/chromium.log" >&2
    exit 1
  }
[ -s "$out" ] || { echo "error: chromium wrote no screenshot" >&2; cat "$work/chromium.log" >&2; exit 1; }
echo "wrote $out"
