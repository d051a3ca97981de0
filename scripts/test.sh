#!/usr/bin/env bash
# Runs the whole test suite (after scripts/setup-test-deps.sh has installed esptool and firmware).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-test-deps.sh >/dev/null
swift build --build-tests
swift test --skip-build
