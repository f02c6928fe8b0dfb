#!/usr/bin/env bash
# PNG screenshots of each section of a `sweep report` page, for the README and for a look
# without a browser window: OUTDIR/<section>.png, taken by Debian's headless Chromium.
#
#   scripts/report_screenshot.sh REPORT.html [OUTDIR] [WIDTHxHEIGHT]
#
# Each picture is the page with every other section hidden, drawn at WIDTHxHEIGHT (default
# 1100x700; the part of a section below that is cut off).
set -euo pipefail

page=${1:?usage: scripts/report_screenshot.sh REPORT.html [OUTDIR] [WIDTHxHEIGHT]}
out=${2:-report-screenshots}
size=${3:-1100x700}
browser=$(command -v chromium-headless-shell || command -v chromium || true)
if [ -z "$browser" ]; then
  echo "report_screenshot: needs chromium-headless-shell (apt-get install chromium-headless-shell)" >&2
  exit 69
fi
[ -r "$page" ] || { echo "report_screenshot: $page: cannot read it" >&2; exit 66; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for section in summary leaderboard history parallel slice importance curves confusion timeline; do
  # A copy of the page that shows only this section (and the error box, should there be one).
  sed "s|</head>|<style>section:not(#sec-$section) { display: none; }</style></head>|" "$page" \
    > "$work/$section.html"
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size="${size/x/,}" \
    --screenshot="$out/$section.png" "file://$work/$section.html" >/dev/null 2>&1
  echo "wrote $out/$section.png"
done
