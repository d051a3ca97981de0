#!/usr/bin/env bash
# Benchmarks espwiz against esptool 5.6.0 on the realtime simulator (slow: about 40 minutes for
# the full set). Not part of the test suite or CI. See docs/performance.md.
#
#   scripts/benchmark.sh                          # every tool at 115200, 460800, 921600, 3 runs
#   scripts/benchmark.sh --bauds 921600 --runs 1  # a quick look
#   scripts/benchmark.sh --help                   # all options (tools, raw JSON output, binaries)
#   scripts/benchmark.sh --bauds 460800 --tools espwiz-region,espwiz-region-traced  # what --trace costs
#
# Builds espwiz and the benchmark in release mode, fetches esptool and the MicroPython image
# into the build folder when missing, then prints the Markdown table on stdout (progress on stderr).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${ESPWIZ_BUILD_DIR:-$root/.build}"
scripts/setup-test-deps.sh >&2
swift build -c release --product espwiz >&2
swift build -c release --product EspwizBench >&2
bin="$(swift build -c release --show-bin-path)"
exec "$bin/EspwizBench" --espwiz "$bin/espwiz" --esptool "$build/venv/bin/esptool" \
  --firmware "$build/firmware/micropython-firmware-combined.bin" "$@"
