#!/usr/bin/env python3
"""Checks that the flasher stub's first stage loads no literal from the second stage's RAM.

scripts/build-stub.sh links the stub with linker relaxation, which may move and merge the
literal pools (the constants an Xtensa L32R loads) between input sections. The first stage runs
before the second is uploaded (docs/flasher-stub.md, "Two stages"), so none of its code may read
a literal that landed in .stage2_text. Usage: check-stub-stages.py <elf> (xtensa-lx106-elf-* on
PATH); exit status 1 names every such load.
"""
import re
import subprocess
import sys

CROSS = "xtensa-lx106-elf-"


def run(*args):
    return subprocess.run([CROSS + args[0], *args[1:]], capture_output=True, text=True, check=True).stdout


def section(elf, name):
    for line in run("readelf", "-SW", elf).splitlines():
        fields = line.replace("[ ", "[").split()
        if name in fields:
            i = fields.index(name)
            start = int(fields[i + 2], 16)
            return start, start + int(fields[i + 4], 16)
    sys.exit(f"error: {elf} has no {name} section")


def main(elf):
    stage1, stage2 = section(elf, ".text"), section(elf, ".stage2_text")
    functions = []
    for line in run("readelf", "-sW", elf).splitlines():
        f = line.split()
        if len(f) >= 8 and f[3] == "FUNC" and stage1[0] <= int(f[1], 16) < stage1[1]:
            functions.append((int(f[1], 16), int(f[1], 16) + int(f[2]), f[7]))
    bad = 0
    # Only instructions inside the first stage's functions: objdump also "decodes" the literal pools.
    for line in run("objdump", "-d", "-j", ".text", elf).splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s+[0-9a-f]+\s+l32r\s+\w+, ([0-9a-f]+)", line)
        if not m:
            continue
        pc, target = int(m.group(1), 16), int(m.group(2), 16)
        owner = next((f for f in functions if f[0] <= pc < f[1]), None)
        if owner and stage2[0] <= target < stage2[1]:
            print(f"error: {owner[2]} (first stage) at {pc:#x} loads a literal at {target:#x}, in the second stage", file=sys.stderr)
            bad += 1
    if not functions:
        sys.exit(f"error: no first-stage functions found in {elf}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
