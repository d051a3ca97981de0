#!/usr/bin/env bash
# Runs the QEMU test build of the espwiz flasher stub with this script's standard input and
# output as the stub's UART (Xtensa semihosting). Builds it first when it is missing or older
# than its sources. Exit status: the stub's (0 after RUN_USER_CODE, FLASH_END(reboot) or end
# of input).
#
# qemu-system-xtensa comes from the Debian package qemu-system-misc (scripts/install-system-deps.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ELF="$ROOT/.build/flasher-stub/espwiz-stub-qemu.elf"
if [ ! -f "$ELF" ] || [ -n "$(find "$ROOT/Sources/FlasherStub" -newer "$ELF" -type f -print -quit)" ]; then
  "$ROOT/scripts/build-stub.sh" --qemu >&2
fi
if ! command -v qemu-system-xtensa >/dev/null 2>&1; then
  echo "error: qemu-system-xtensa not found; install the Debian package qemu-system-misc" \
       "(scripts/install-system-deps.sh does this)." >&2
  exit 1
fi
# ESPWIZ_STUB_ICOUNT=1 makes QEMU count instructions (-icount shift=0: 1 ns of virtual time per
# instruction), so the stub tests can read instruction counts through CCOUNT (hal_qemu.c).
ICOUNT=()
if [ "${ESPWIZ_STUB_ICOUNT:-0}" = 1 ]; then ICOUNT=(-icount shift=0); fi
exec qemu-system-xtensa -M sim -cpu lx106 "${ICOUNT[@]}" -semihosting-config enable=on,target=native \
  -display none -monitor none -serial none -nodefaults -kernel "$ELF"
