#!/usr/bin/env bash
# Proves the release artefacts on a clean Debian 12 without Swift (docs/packaging.md). Run by hand
# before a release, as root, with network access to a Debian mirror; not part of CI (it takes minutes).
#   1. debootstrap bookworm (minbase + man-db + bash-completion) into a scratch folder, using the
#      Debian mirror this machine's apt sources use;
#   2. install out/espwiz_*.deb with apt inside it (so Depends come from Debian), then run
#      espwiz --version, ports, explain --list, a simulated flash of the real MicroPython image
#      ending with esp.check_fw() True, `man espwiz`, and bash completion of `espwiz fl`;
#   3. the same with the tarball unpacked in the chroot's /tmp;
#   4. apt remove: no file of the package may be left, only the user's state folder.
#
# Usage: scripts/check-install.sh [--deb FILE] [--tarball FILE] [--keep]
#   Defaults: the newest out/espwiz_*_amd64.deb and out/espwiz-*-linux-x86_64.tar.gz (scripts/package.sh),
#   the image .build/firmware/micropython-firmware-combined.bin (scripts/setup-test-deps.sh --firmware-only).
#   --keep leaves the chroot folder in place (its path is printed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

deb="" tarball="" keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb="$2"; shift ;;
    --tarball) tarball="$2"; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "check-install: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

fail() { echo "check-install: FAIL: $*" >&2; exit 1; }
step() { echo; echo "==> $*"; }
pass() { echo "    ok: $*"; }

[ "$(id -u)" -eq 0 ] || fail "debootstrap, chroot and mount need root. Fix: sudo scripts/check-install.sh"
command -v debootstrap >/dev/null || fail "debootstrap is missing. Fix: sudo apt-get install debootstrap"
[ -n "$deb" ] || deb="$(ls -t out/espwiz_*_amd64.deb 2>/dev/null | head -1 || true)"
[ -n "$tarball" ] || tarball="$(ls -t out/espwiz-*-linux-x86_64.tar.gz 2>/dev/null | head -1 || true)"
[ -f "$deb" ] || fail "no .deb found. Fix: scripts/package.sh (writes out/espwiz_VERSION_amd64.deb) or pass --deb FILE"
[ -f "$tarball" ] || fail "no tarball found. Fix: scripts/package.sh or pass --tarball FILE"
firmware="$root/.build/firmware/micropython-firmware-combined.bin"
[ -s "$firmware" ] || fail "$firmware is missing. Fix: scripts/setup-test-deps.sh --firmware-only"

# The same Debian mirror as this machine's apt (deb822 .sources or one-line sources.list), not security.
mirror="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*//p' | tr ' ' '\n' \
          | grep -v -- '-security' | grep '/debian/*$' | head -1 || true)"
[ -n "$mirror" ] || mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | awk '$1=="deb" && $2 !~ /^\[/ {print $2} $1=="deb" && $2 ~ /^\[/ {print $3}' \
          | grep -v -- '-security' | grep '/debian/*$' | head -1 || true)"
[ -n "$mirror" ] || fail "no Debian mirror found in /etc/apt/sources.list(.d). Fix: configure apt for Debian first."

chroot_dir="$(mktemp -d /var/tmp/espwiz-check-install.XXXXXX)"
mounts=()
cleanup() {
  local i
  for ((i=${#mounts[@]}-1; i>=0; i--)); do umount "${mounts[$i]}" 2>/dev/null || umount -l "${mounts[$i]}" || true; done
  if [ "$keep" -eq 1 ]; then echo "check-install: chroot kept in $chroot_dir"; else rm -rf --one-file-system "$chroot_dir"; fi
}
trap cleanup EXIT
in_chroot() { chroot "$chroot_dir" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
              TERM=dumb LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

step "debootstrap bookworm from $mirror into $chroot_dir"
started=$(date +%s)
# Downloaded .debs are kept between runs (ESPWIZ_DEBOOTSTRAP_CACHE); the installed tree is always new.
cache="${ESPWIZ_DEBOOTSTRAP_CACHE:-/var/cache/espwiz-check-install}"
mkdir -p "$cache"
debootstrap --variant=minbase --include=man-db,bash-completion --cache-dir="$cache" bookworm "$chroot_dir" "$mirror" > "$chroot_dir.log" 2>&1 \
  || { tail -20 "$chroot_dir.log" >&2; fail "debootstrap failed (log: $chroot_dir.log)"; }
rm -f "$chroot_dir.log"
pass "debootstrap took $(( $(date +%s) - started )) s"
for m in proc sys dev dev/pts; do
  case "$m" in
    proc) mount -t proc proc "$chroot_dir/proc" ;;
    sys) mount -t sysfs sysfs "$chroot_dir/sys" ;;
    *) mount --bind "/$m" "$chroot_dir/$m" ;;
  esac
  mounts+=("$chroot_dir/$m")
done
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
in_chroot sh -c 'command -v swift swiftc' && fail "the chroot has a Swift toolchain; it must not."
[ -z "$(find "$chroot_dir" -xdev -name 'libswiftCore*' -print -quit)" ] || fail "the chroot has a Swift runtime library; it must not."
pass "no swift, no libswiftCore in the chroot"
cp "$firmware" "$chroot_dir/tmp/micropython.bin"

# The checks that both install routes must pass. $1: how to call espwiz; $2: the man command; $3: a
# shell snippet that loads espwiz's bash completion.
check_espwiz() {
  local espwiz="$1" man_cmd="$2" load_completion="$3" out
  out="$(in_chroot $espwiz --version)" || fail "espwiz --version failed: $out"
  echo "$out" | sed 's/^/      /'
  grep -q '^espwiz [0-9]' <<<"$out" && grep -q '^commit [0-9a-f]\{12\}' <<<"$out" && grep -q 'stub .* built in' <<<"$out" \
    || fail "espwiz --version lacks the version, commit or stub line"
  pass "espwiz --version"
  local rc=0
  out="$(in_chroot $espwiz ports 2>&1)" || rc=$?
  echo "$out" | head -5 | sed 's/^/      /'
  pass "espwiz ports (exit $rc)"
  out="$(in_chroot $espwiz explain --list)" || fail "espwiz explain --list failed"
  [ "$(wc -l <<<"$out")" -gt 5 ] || fail "espwiz explain --list printed too little: $out"
  pass "espwiz explain --list ($(wc -l <<<"$out") lines)"
  out="$(in_chroot $espwiz flash --simulate nodemcu /tmp/micropython.bin 2>&1)" \
    || { tail -20 <<<"$out" >&2; fail "simulated flash failed"; }
  tail -3 <<<"$out" | sed 's/^/      /'
  grep -q 'esp.check_fw() printed True' <<<"$out" || fail "the simulated flash did not end with esp.check_fw() True"
  pass "espwiz flash --simulate nodemcu: esp.check_fw() True"
  out="$(in_chroot sh -c "MANWIDTH=80 $man_cmd 2>&1 | sed \"s/.\\x08//g\"")" || fail "man failed: $out"
  grep -q '^NAME' <<<"$out" && grep -q 'espwiz' <<<"$out" && grep -q 'flash' <<<"$out" \
    || fail "man page did not render: $(head -5 <<<"$out")"
  pass "$man_cmd renders ($(wc -l <<<"$out") lines)"
  out="$(in_chroot bash -c "$load_completion"'
    spec=$(complete -p espwiz) || exit 3
    fn=$(sed -n "s/.*-F \([^ ]*\) .*/\1/p" <<<"$spec")
    COMP_WORDS=(espwiz fl); COMP_CWORD=1; COMP_LINE="espwiz fl"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
    "$fn" espwiz fl espwiz
    printf "%s\n" "${COMPREPLY[@]}"')" || fail "bash completion could not be loaded: $out"
  [ "$out" = "flash" ] || fail "bash completion of 'espwiz fl' gave '$out', not 'flash'"
  pass "bash completes 'espwiz fl' to 'flash'"
}

step "apt install $(basename "$deb") in the chroot"
cp "$deb" "$chroot_dir/tmp/"
in_chroot apt-get update -q >/dev/null
in_chroot apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" > "$chroot_dir/tmp/apt.log" 2>&1 \
  || { tail -20 "$chroot_dir/tmp/apt.log" >&2; fail "apt-get install of the .deb failed"; }
grep '^Setting up' "$chroot_dir/tmp/apt.log" | sed 's/^/      /' || true
in_chroot dpkg -s espwiz | grep -E '^(Version|Depends):' | sed 's/^/      /'
check_espwiz espwiz "man espwiz" 'source /usr/share/bash-completion/bash_completion; _completion_loader espwiz'

step "tarball $(basename "$tarball") unpacked in the chroot's /tmp"
tar -xzf "$tarball" -C "$chroot_dir/tmp"
dir="/tmp/$(basename "$tarball" .tar.gz)"
check_espwiz "$dir/espwiz" "man -l $dir/man/man1/espwiz.1" "source $dir/completions/espwiz.bash"

step "apt remove espwiz"
files="$(dpkg-deb --contents "$deb" | awk '$1 !~ /^d/ {print $NF}' | sed 's#^\./#/#')"
in_chroot apt-get remove -y -q espwiz >/dev/null
left=""
for f in $files; do [ -e "$chroot_dir$f" ] && left="$left $f"; done
[ -z "$left" ] || fail "apt remove left files behind:$left"
[ ! -e "$chroot_dir/usr/share/doc/espwiz" ] || fail "apt remove left /usr/share/doc/espwiz behind"
[ -d "$chroot_dir/root/.local/state/espwiz/runs" ] || fail "the user's state folder /root/.local/state/espwiz/runs is missing"
pass "no file of the package left ($(wc -w <<<"$files") files checked); the user's state folder /root/.local/state/espwiz stays"
echo
echo "check-install: all checks passed on a clean Debian 12 for $(basename "$deb") and $(basename "$tarball")"
