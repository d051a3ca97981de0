#!/usr/bin/env bash
# Makes the sample install guides in docs/install/ from real runs on espwiz's simulated boards.
#
# espwiz flashes the real MicroPython v1.9.4 image (fetched by scripts/setup-test-deps.sh) onto its
# built-in simulated NodeMCU, D1 mini and ESP-01, keeps the run records in docs/install/records/, and
# writes the guides from them with `espwiz docs`. Every hash, size and version in the samples is what
# those runs measured; nothing is typed in by hand. SampleDocsTests re-renders the guides from the
# committed records and fails when the templates have changed since: run this script again then.
#
#   docs/install/{windows,linux,macos}.md         one run: the simulated NodeMCU
#   docs/install/esp-01/…                          one run: the simulated ESP-01 (manual boot, 1 MB)
#   docs/install/boards/…                          one guide for all three boards
#   docs/install/rst/…                             the three-board guide as reStructuredText
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup-test-deps.sh --firmware-only >/dev/null
swift build --product espwiz >/dev/null
espwiz="$(swift build --show-bin-path)/espwiz"
firmware="$root/.build/firmware/micropython-firmware-combined.bin"
records="$root/docs/install/records"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$records"
cp "$firmware" "$work/"
name="$(basename "$firmware")"

for board in nodemcu d1mini esp01; do
  echo "render-sample-docs: flashing the simulated $board"
  # The ESP-01 has no auto-reset: espwiz asks for the manual boot and Enter answers it.
  (cd "$work" && printf '\n\n\n\n\n\n\n\n' | ESPWIZ_STATE_DIR="$work/state-$board" NO_COLOR=1 \
     "$espwiz" flash --simulate "$board" --no-docs --record "$work/$board.json" "$name" >"$work/$board.log" 2>&1) || {
    echo "render-sample-docs: espwiz flash on the simulated $board failed:" >&2
    tail -20 "$work/$board.log" >&2
    exit 1
  }
  cp "$work/$board.json" "$records/$board.json"
done

common=(--no-copy-images)
"$espwiz" docs "$records/nodemcu.json" --out docs/install --images-folder ../images/ \
    --troubleshooting-page ../troubleshooting.md "${common[@]}"
"$espwiz" docs "$records/esp01.json" --out docs/install/esp-01 --images-folder ../../images/ \
    --troubleshooting-page ../../troubleshooting.md "${common[@]}"
"$espwiz" docs "$records/nodemcu.json" "$records/d1mini.json" "$records/esp01.json" --out docs/install/boards \
    --images-folder ../../images/ --troubleshooting-page ../../troubleshooting.md "${common[@]}"
"$espwiz" docs "$records/nodemcu.json" "$records/d1mini.json" "$records/esp01.json" --out docs/install/rst \
    --format rst --images-folder ../../images/ --troubleshooting-page ../../troubleshooting.md "${common[@]}"
git status --short docs/install
