#!/usr/bin/env bash
# Installs the Debian packages espwiz builds and tests with, when they are missing.
# Uses sudo when not root. Does nothing when everything is present.
set -euo pipefail
pkgs=(libreadline-dev zlib1g-dev libdeflate-dev liblzma-dev xz-utils python3-venv tmux librsvg2-bin cmark-gfm gcc-xtensa-lx106 binutils-xtensa-lx106 qemu-system-misc ser2net)
pkgs+=(dpkg-dev binutils)   # scripts/package.sh: dpkg-shlibdeps, dpkg-deb, strip
need=()
for pkg in "${pkgs[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
