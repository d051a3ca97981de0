#!/usr/bin/env bash
# Runs the whole fault matrix (every fault at every phase, through the ROM loader and through
# espwiz's flasher stub: 192 cells, about 20 minutes on 2 cores) and writes its table into
# docs/fault-matrix.md between the RESULT markers.
#   scripts/fault-matrix.sh            the full matrix
#   scripts/fault-matrix.sh --quick    the subset the test suite runs (one ROM cell per fault, five stub cells)
#   FILTER='stall' scripts/fault-matrix.sh      only cells whose name contains the text
#   FILTER='via stub' scripts/fault-matrix.sh   only the stub cells ('via ROM': only the ROM cells)
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=full
[ "${1:-}" = "--quick" ] && MODE=quick
TABLE=$(mktemp)
trap 'rm -f "$TABLE"' EXIT
swift build --build-tests
status=0
ESPWIZ_FAULT_MATRIX=$MODE ESPWIZ_FAULT_MATRIX_OUT="$TABLE" ESPWIZ_FAULT_MATRIX_FILTER="${FILTER:-}" \
    swift test --skip-build --filter FaultMatrixTests.everyFaultAtEveryPhase | grep -E "fault-matrix:|✘|✔" || status=$?
[ -s "$TABLE" ] || { echo "fault-matrix: no table was written" >&2; exit 1; }
if [ "$MODE" = full ] && [ -z "${FILTER:-}" ]; then
    python3 - "$TABLE" docs/fault-matrix.md <<'PY'
import sys, datetime
table = open(sys.argv[1]).read()
doc = open(sys.argv[2]).read()
start, end = "<!-- RESULT START -->", "<!-- RESULT END -->"
head, rest = doc.split(start)
_, tail = rest.split(end)
stamp = datetime.date.today().isoformat()
open(sys.argv[2], "w").write(f"{head}{start}\n_Last full run: {stamp} (`scripts/fault-matrix.sh`)._\n\n{table}\n{end}{tail}")
PY
    echo "fault-matrix: docs/fault-matrix.md updated"
else
    cat "$TABLE"
fi
exit $status
