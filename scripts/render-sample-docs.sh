#!/usr/bin/env bash
# Re-renders the sample install docs in docs/install/ from the test fixtures after a template change.
set -euo pipefail
cd "$(dirname "$0")/.."
ESPWIZ_UPDATE_SAMPLES=1 swift test --filter 'DocsRenderingTests.SampleDocsTests'
git status --short docs/install
