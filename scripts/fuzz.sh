#!/usr/bin/env bash
# Builds the libFuzzer targets in Tests/Fuzz/Targets (swiftc -sanitize=fuzzer,address, together
# with the module sources they test) and runs them on their seed corpora in Tests/Fuzz/Corpus.
#
#   scripts/fuzz.sh --ci              every target for FUZZ_SECONDS (default 20) seconds; exit 1 on a crash
#   scripts/fuzz.sh [TARGET…] [--seconds N] [--jobs N]
#                                     a longer run (default 600 s per target); new inputs are kept in
#                                     .build/fuzz/corpus/TARGET, crashes in .build/fuzz/artifacts
#   scripts/fuzz.sh --build-only      only compile
#
# Targets: slip response image bootlog repl record telnet explain. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${FUZZ_OUT:-$ROOT/.build/fuzz}
ALL_TARGETS=(slip response image bootlog repl record telnet explain)
SECONDS_PER_TARGET=600
JOBS=1
CI=0
BUILD_ONLY=0
TARGETS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --ci) CI=1; SECONDS_PER_TARGET=${FUZZ_SECONDS:-20} ;;
        --seconds) SECONDS_PER_TARGET=$2; shift ;;
        --jobs) JOBS=$2; shift ;;
        --build-only) BUILD_ONLY=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) TARGETS+=("$1") ;;
    esac
    shift
done
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")

FLAGS=(-sanitize=fuzzer,address -parse-as-library -swift-version 6 -g -Onone -I "$OUT/modules" -L "$OUT/modules")
mkdir -p "$OUT/modules" "$OUT/artifacts" "$OUT/corpus"

# gold's harmless "Cannot export local symbol '__asan_…'" warnings hide real messages.
quiet_linker() { grep -v "Cannot export local symbol" || true; }

# build_module NAME SOURCES… : a static library and module other targets import.
build_module() {
    local name=$1; shift
    local lib="$OUT/modules/lib$name.a"
    local newest
    newest=$(ls -t "$@" "$0" | head -1)
    if [ -f "$lib" ] && [ "$lib" -nt "$newest" ]; then return; fi
    echo "fuzz: building module $name"
    local sources=()
    for f in "$@"; do sources+=("$ROOT/$f"); done
    (cd "$OUT/modules" && swiftc "${FLAGS[@]}" -module-name "$name" -emit-module -emit-library -static \
        -emit-module-path "$OUT/modules/$name.swiftmodule" -o "$lib" "${sources[@]}") 2>&1 | quiet_linker
}

# build_target TARGET LIBS -- SOURCES… : the fuzzer executable (the tested sources compiled into it).
build_target() {
    local target=$1; shift
    local libs=()
    while [ "$1" != "--" ]; do libs+=("-l$1"); shift; done
    shift
    local exe="$OUT/fuzz-$target"
    local newest
    newest=$(ls -t "$@" Tests/Fuzz/Targets/FuzzInput.swift "$0" "$OUT"/modules/*.a 2>/dev/null | head -1 || true)
    if [ -f "$exe" ] && [ "$exe" -nt "$newest" ]; then return; fi
    echo "fuzz: building target $target"
    swiftc "${FLAGS[@]}" -module-name "Fuzz_$target" "${libs[@]}" -o "$exe" \
        Tests/Fuzz/Targets/FuzzInput.swift "Tests/Fuzz/Targets/$target.swift" "$@" 2>&1 | quiet_linker
}

needs() { for t in "${TARGETS[@]}"; do for n in "$@"; do [ "$t" = "$n" ] && return 0; done; done; return 1; }

if needs slip response image; then build_module ESPProtocol Sources/ESPProtocol/*.swift; fi
if needs image; then build_module Crypto Tests/Fuzz/Shims/Crypto/Crypto.swift; fi
if needs repl explain; then build_module RunRecord Sources/RunRecord/*.swift; fi
for t in "${TARGETS[@]}"; do
    case "$t" in
        slip|response) build_target "$t" ESPProtocol -- ;;
        image) build_target image ESPProtocol Crypto -- Sources/FirmwareImage/*.swift ;;
        bootlog) build_target bootlog -- Sources/BoardConsole/BootLogDecoder.swift Sources/BoardConsole/BootLogHandOver.swift ;;
        # MicroPythonBanner uses BootLogDecoder.swift's String.trimmingCharacters(in: String), and RunRecord's BootedFirmware.
        repl) build_target repl RunRecord -- Sources/BoardConsole/CheckFirmwareOutput.swift Sources/BoardConsole/MicroPythonBanner.swift \
            Sources/BoardConsole/BootLogDecoder.swift ;;
        record) build_target record -- Sources/RunRecord/*.swift ;;
        telnet) build_target telnet -- Sources/RemoteSerial/Telnet*.swift Sources/RemoteSerial/ResetDetector.swift ;;
        explain) build_target explain RunRecord -- Sources/Troubleshooting/*.swift ;;
        *) echo "fuzz: unknown target '$t' (targets: ${ALL_TARGETS[*]})" >&2; exit 64 ;;
    esac
done
[ $BUILD_ONLY = 1 ] && exit 0

JOBS_FLAGS=""
[ "$JOBS" -gt 1 ] && JOBS_FLAGS="-jobs=$JOBS -workers=$JOBS"
# The image check needs inputs past 0x9000 bytes (MicroPython's size word and trailer).
max_len() { if [ "$1" = image ]; then echo -max_len=65536; else echo -max_len=8192; fi; }

failed=()
for t in "${TARGETS[@]}"; do
    seeds="Tests/Fuzz/Corpus/$t"
    work="$OUT/corpus/$t"
    mkdir -p "$work"
    echo "fuzz: running $t for ${SECONDS_PER_TARGET}s"
    # The first corpus folder receives new inputs; the repository's seeds are only read.
    if ! "$OUT/fuzz-$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 $JOBS_FLAGS $(max_len "$t") -artifact_prefix="$OUT/artifacts/$t-" \
        "$work" "$seeds" > "$OUT/$t.log" 2>&1; then
        failed+=("$t")
        echo "fuzz: $t FAILED — see $OUT/$t.log and $OUT/artifacts/" >&2
        tail -40 "$OUT/$t.log" >&2
    else
        grep -E "stat::number_of_executed_units|stat::new_units_added" "$OUT/$t.log" | tr '\n' ' ' | sed "s/^/fuzz: $t: /"; echo
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: crashes in: ${failed[*]}. Turn each artifact into a regression test (docs/fuzzing.md)." >&2
    exit 1
fi
echo "fuzz: no crashes"
