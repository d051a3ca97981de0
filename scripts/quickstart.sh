#!/usr/bin/env bash
# The main job, from a fresh machine: installs what espwiz needs, builds it, fetches MicroPython
# v1.9.4 and flashes it — onto the ESP8266 board plugged in, or, with no board attached, onto the
# built-in simulated NodeMCU. Extra arguments go to `espwiz flash` (e.g. --port /dev/ttyUSB0).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
scripts/setup-test-deps.sh --firmware-only
swift build
espwiz=.build/debug/espwiz
fw=.build/firmware/micropython-firmware-combined.bin
if "$espwiz" ports --json | grep -Eq '"category" *: *"likely-esp"'; then
  exec "$espwiz" flash "$fw" "$@"
fi
echo "No ESP8266 board found: practising on the built-in simulated NodeMCU (espwiz flash --simulate nodemcu)."
exec "$espwiz" flash --simulate nodemcu "$fw" "$@"
