#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: system packages, esptool 5.6.0 and the real
# MicroPython image into .build/, then every test (unit, simulator, esptool interop, end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
scripts/setup-test-deps.sh
scripts/build-stub.sh --check   # the committed flasher stub must be what its C sources build
scripts/fuzz.sh --ci            # each libFuzzer target for a short bounded time (docs/fuzzing.md)
scripts/check-package.sh        # the release artefacts: static binary, tarball, .deb (docs/packaging.md)
swift build --build-tests
swift test --skip-build         # last, so its summary line closes the output
