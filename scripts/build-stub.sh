#!/usr/bin/env bash
# Builds the espwiz flasher stub (Sources/FlasherStub) with Debian's xtensa-lx106-elf-gcc.
#
#   scripts/build-stub.sh           device build -> Sources/FlasherStub/build/espwiz-stub.json
#                                   and Sources/StubImage/StubImage.swift (generated, committed),
#                                   plus the QEMU test build in .build/flasher-stub/
#   scripts/build-stub.sh --check   rebuilds into a temporary folder and fails when the committed
#                                   JSON or Swift file differs (for CI)
#   scripts/build-stub.sh --qemu    only the QEMU test build (.build/flasher-stub/espwiz-stub-qemu.elf)
#
# Needs gcc-xtensa-lx106 and binutils-xtensa-lx106 (scripts/install-system-deps.sh installs them).
# The output depends only on the sources and the compiler version (no dates, no paths).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SRC="$ROOT/Sources/FlasherStub"
OUT="$ROOT/.build/flasher-stub"
JSON="$SRC/build/espwiz-stub.json"
SWIFT="$ROOT/Sources/StubImage/StubImage.swift"
STUB_FORMAT_VERSION=1

mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --qemu) mode=qemu ;;
  *) echo "usage: $0 [--check|--qemu]" >&2; exit 2 ;;
esac

CROSS=xtensa-lx106-elf
for tool in gcc objcopy nm readelf; do
  if ! command -v "$CROSS-$tool" >/dev/null 2>&1; then
    echo "error: $CROSS-$tool not found. Install the Debian packages gcc-xtensa-lx106 and" \
         "binutils-xtensa-lx106 (scripts/install-system-deps.sh does this)." >&2
    exit 1
  fi
done

CFLAGS=(-Os -std=c11 -ffreestanding -nostdlib -fno-builtin -fno-tree-loop-distribute-patterns
        -mlongcalls -ffunction-sections -fdata-sections -Wall -Wextra -Werror
        -fno-asynchronous-unwind-tables -fno-ident -I"$SRC")
DECODER_OPT=(-O2)
PORTABLE=(stub_protocol.c stub_session.c stub_wire.c stub_flash_io.c stub_decode.c stub_read.c stub_clean_cmd.c stub_blank_scan.c stub_range_hash.c stub_clean.c stub_verify.c stub_flash_writer.c stub_inflate.c stub_lzma.c stub_md5.c stub_stage2.c
          stub_stage2_id.c stub_util.c)

mkdir -p "$OUT"

# link <output.elf> <linker script> <sources...>
# Each source is compiled to an object named after it, so the linker script can send the
# second stage's objects (the decoders, READ_FLASH, the blank scan, the clean) to the second stage by file name.
link() {
  local elf="$1" script="$2"; shift 2
  local objdir="$elf.objs" files=()
  rm -rf "$objdir"; mkdir -p "$objdir"
  for f in "$@"; do
    local obj="$objdir/${f%.*}.o" flags=("${CFLAGS[@]}")
    case "$f" in
      # The decoders are the second stage, uploaded only for a write; there speed counts more
      # than size (docs/flasher-stub.md, "Two stages").
      stub_lzma.c|stub_inflate.c) flags+=("${DECODER_OPT[@]}") ;;
    esac
    (cd "$SRC" && "$CROSS-gcc" "${flags[@]}" -c -o "$obj" "$SRC/$f")
    files+=("$obj")
  done
  # Linker relaxation turns most long calls into direct ones (1.1 KB less in the first stage); it
  # may also move literals between sections, so check that the first stage reads none of the
  # second's (scripts/check-stub-stages.py).
  (cd "$SRC" && "$CROSS-gcc" "${CFLAGS[@]}" -T "$SRC/$script" -L "$SRC" -Wl,--gc-sections \
      -o "$elf" "${files[@]}" -lgcc)
  python3 "$ROOT/scripts/check-stub-stages.py" "$elf"
}

segment_bin() { # <elf> <section> <output.bin>
  "$CROSS-objcopy" -O binary -j "$2" "$1" "$3"
  local size; size=$(stat -c %s "$3")
  truncate -s $(( (size + 3) / 4 * 4 )) "$3"
}
section_start() { # <elf> <section>: decimal address
  echo $((16#$("$CROSS-readelf" -SW "$1" | awk -v s="$2" '{ for (i = 1; i <= NF; i++) if ($i == s) { print $(i + 2); exit } }')))
}

link "$OUT/espwiz-stub-qemu.elf" qemu.ld "${PORTABLE[@]}" hal_qemu.c entry_qemu.S
# The QEMU build's second stage, for the stub tests to upload through the running stub.
segment_bin "$OUT/espwiz-stub-qemu.elf" .stage2_text "$OUT/qemu-stage2-text.bin"
segment_bin "$OUT/espwiz-stub-qemu.elf" .stage2_data "$OUT/qemu-stage2-data.bin"
cat > "$OUT/espwiz-stub-qemu-stage2.json" <<JSON
{
  "stage2_text_start": $(section_start "$OUT/espwiz-stub-qemu.elf" .stage2_text),
  "stage2_text": "$(base64 -w0 "$OUT/qemu-stage2-text.bin")",
  "stage2_data_start": $(section_start "$OUT/espwiz-stub-qemu.elf" .stage2_data),
  "stage2_data": "$(base64 -w0 "$OUT/qemu-stage2-data.bin")"
}
JSON
[ "$mode" = qemu ] && { echo "built $OUT/espwiz-stub-qemu.elf"; exit 0; }

link "$OUT/espwiz-stub.elf" esp8266.ld "${PORTABLE[@]}" hal_esp8266.c entry_esp8266.S
ELF="$OUT/espwiz-stub.elf"

section_address() { # hex address of a section
  "$CROSS-readelf" -SW "$ELF" | awk -v s="$1" '{ for (i = 1; i <= NF; i++) if ($i == s) { print $(i + 2); exit } }'
}
symbol_address() {
  "$CROSS-nm" "$ELF" | awk -v s="$1" '$3 == s && !found { print $1; found = 1 }'
}

# IRAM only takes 32-bit stores: every segment is padded to whole words (zeros).
segment_bin "$ELF" .text "$OUT/text.bin"
segment_bin "$ELF" .data "$OUT/data.bin"
segment_bin "$ELF" .stage2_text "$OUT/stage2-text.bin"
segment_bin "$ELF" .stage2_data "$OUT/stage2-data.bin"
stage2_text_start=$(section_start "$ELF" .stage2_text)
stage2_data_start=$(section_start "$ELF" .stage2_data)
stage2_text_size=$(stat -c %s "$OUT/stage2-text.bin")
stage2_data_size=$(stat -c %s "$OUT/stage2-data.bin")
text_start=$((16#$(section_address .text)))
data_start=$((16#$(section_address .data)))
entry=$((16#$(symbol_address stub_entry)))
bss_start=$((16#$(symbol_address _bss_start)))
bss_end=$((16#$(symbol_address _bss_end)))
text_size=$(stat -c %s "$OUT/text.bin")
data_size=$(stat -c %s "$OUT/data.bin")
digest=$(cat "$OUT/text.bin" "$OUT/data.bin" "$OUT/stage2-text.bin" "$OUT/stage2-data.bin" | sha256sum | cut -c1-12)
version="espwiz-stub-$STUB_FORMAT_VERSION+$digest"

gen="$OUT/generated"
rm -rf "$gen"; mkdir -p "$gen"

hexword() { printf '0x%08X' "$1"; }

cat > "$gen/espwiz-stub.json" <<JSON
{
  "version": "$version",
  "entry": $entry,
  "text_start": $text_start,
  "text": "$(base64 -w0 "$OUT/text.bin")",
  "data_start": $data_start,
  "data": "$(base64 -w0 "$OUT/data.bin")",
  "bss_start": $bss_start,
  "bss_end": $bss_end,
  "stage2_text_start": $stage2_text_start,
  "stage2_text": "$(base64 -w0 "$OUT/stage2-text.bin")",
  "stage2_data_start": $stage2_data_start,
  "stage2_data": "$(base64 -w0 "$OUT/stage2-data.bin")"
}
JSON

swift_bytes() { # 16 bytes per line, Swift array literal body
  od -An -v -tx1 "$1" | awk '{ line = "        "; for (i = 1; i <= NF; i++) line = line "0x" toupper($i) ","  (i < NF ? " " : ""); print line }'
}

{
  echo "// GENERATED by scripts/build-stub.sh from Sources/FlasherStub. Do not edit."
  echo "// Rebuild with scripts/build-stub.sh; CI runs scripts/build-stub.sh --check."
  echo
  echo "/// The espwiz flasher stub for the ESP8266, as the ROM loader uploads it with MEM_BEGIN/MEM_DATA/MEM_END."
  echo "public enum StubImage {"
  echo "    /// The stub's version: format version and the first 12 hex digits of the SHA-256 of its segments."
  echo "    public static let version = \"$version\""
  echo "    /// Where the ROM loader must jump (MEM_END entry address)."
  echo "    public static let entry: UInt32 = $(hexword "$entry")"
  echo "    /// Code, loaded into IRAM ($text_size bytes)."
  echo "    public static let text = StubSegment(address: $(hexword "$text_start"), bytes: textBytes)"
  echo "    /// Initialised data and constants, loaded into DRAM ($data_size bytes)."
  echo "    public static let data = StubSegment(address: $(hexword "$data_start"), bytes: dataBytes)"
  echo "    /// Zero-initialised RAM the stub clears itself (not uploaded): start and end address."
  echo "    public static let bss: ClosedRange<UInt32> = $(hexword "$bss_start")...$(hexword $((bss_end - 1)))"
  echo "    /// The segments in upload order (the first stage: what the ROM loader uploads at connect)."
  echo "    public static var segments: [StubSegment] { [text, data] }"
  echo "    /// The second stage's code (IRAM, $stage2_text_size bytes): the decoders, READ_FLASH, the blank scan and the"
  echo "    /// clean, uploaded through the running stub with MEM_BEGIN/MEM_DATA/MEM_END before the first command that needs it."
  echo "    public static let stage2Text = StubSegment(address: $(hexword "$stage2_text_start"), bytes: stage2TextBytes)"
  echo "    /// The second stage's constants (DRAM, $stage2_data_size bytes), its identity word first."
  echo "    public static let stage2Data = StubSegment(address: $(hexword "$stage2_data_start"), bytes: stage2DataBytes)"
  echo "    /// The second stage's segments in upload order."
  echo "    public static var stage2Segments: [StubSegment] { [stage2Text, stage2Data] }"
  echo
  echo "    private static let textBytes: [UInt8] = ["
  swift_bytes "$OUT/text.bin"
  echo "    ]"
  echo
  echo "    private static let dataBytes: [UInt8] = ["
  swift_bytes "$OUT/data.bin"
  echo "    ]"
  echo
  echo "    private static let stage2TextBytes: [UInt8] = ["
  swift_bytes "$OUT/stage2-text.bin"
  echo "    ]"
  echo
  echo "    private static let stage2DataBytes: [UInt8] = ["
  swift_bytes "$OUT/stage2-data.bin"
  echo "    ]"
  echo "}"
} > "$gen/StubImage.swift"

if [ "$mode" = check ]; then
  status=0
  cmp -s "$gen/espwiz-stub.json" "$JSON" || { echo "error: $JSON is out of date; run scripts/build-stub.sh and commit the result." >&2; status=1; }
  cmp -s "$gen/StubImage.swift" "$SWIFT" || { echo "error: $SWIFT is out of date; run scripts/build-stub.sh and commit the result." >&2; status=1; }
  [ $status -eq 0 ] && echo "stub up to date: $version"
  exit $status
fi

mkdir -p "$(dirname "$JSON")" "$(dirname "$SWIFT")"
cp "$gen/espwiz-stub.json" "$JSON"
cp "$gen/StubImage.swift" "$SWIFT"
echo "built $version: text $text_size bytes at $(hexword "$text_start"), data $data_size bytes at $(hexword "$data_start")," \
     "second stage $stage2_text_size + $stage2_data_size bytes at $(hexword "$stage2_text_start") and $(hexword "$stage2_data_start")," \
     "bss $(hexword "$bss_start")..$(hexword "$bss_end"), entry $(hexword "$entry")"
