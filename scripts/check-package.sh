#!/usr/bin/env bash
# CI's fast check of the release artefacts (scripts/test.sh runs it; the full proof on a clean Debian
# is scripts/check-install.sh, run by hand). Builds them with scripts/package.sh --allow-dirty into
# .build/package-check, then checks:
#   - ldd on the packaged binary: no Swift library, no liblzma/libdeflate/zlib, everything resolved;
#   - espwiz --version: version, the commit of HEAD, the built-in stub;
#   - dpkg-deb --info: name, version, architecture, Depends (libc6, libreadline8), the dialout note;
#   - dpkg-deb --contents and the tarball listing: binary, man page, completions, udev example.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/.build/package-check"
rm -rf "$out"
head="$(git rev-parse --short=12 HEAD)"   # the commit being packaged (HEAD may move while it builds)
scripts/package.sh --allow-dirty --out "$out"

failures=0
check() {  # check DESCRIPTION COMMAND...: runs the command, reports ok or FAIL
  local what="$1"; shift
  if "$@" >/dev/null 2>&1; then echo "check-package: ok   $what"; else echo "check-package: FAIL $what" >&2; failures=$((failures + 1)); fi
}
has() { grep -Eq -- "$2" <<<"$1"; }
lacks() { ! grep -Eq -- "$2" <<<"$1"; }

deb="$(ls "$out"/espwiz_*_amd64.deb)"
tarball="$(ls "$out"/espwiz-*-linux-x86_64.tar.gz)"
name="$(basename "$tarball" .tar.gz)"
unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
tar -xzf "$tarball" -C "$unpacked"
bin="$unpacked/$name/espwiz"

deps="$(ldd "$bin")"
echo "$deps" | sed 's/^/    /'
check "ldd: no Swift runtime library" lacks "$deps" 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libicu'
check "ldd: liblzma, libdeflate, zlib linked statically" lacks "$deps" 'liblzma|libdeflate|libz\.so'
check "ldd: readline shared" has "$deps" 'libreadline\.so'
check "ldd: every library found" lacks "$deps" 'not found'

version="$("$bin" --version)"
echo "$version" | sed 's/^/    /'
check "--version: version line" has "$version" '^espwiz [0-9]+\.[0-9]+\.[0-9]+'
check "--version: commit of HEAD" has "$version" "^commit $head"
check "--version: stub built in" has "$version" '^flasher stub espwiz-stub-.* built in'

info="$(dpkg-deb --info "$deb")"
echo "$info" | sed -n '/Package:/,/Description:/p' | sed 's/^/   /'
check "deb info: Package espwiz" has "$info" '^ Package: espwiz$'
check "deb info: Version matches --version" test "$(dpkg-deb --field "$deb" Version)" = "$(sed -n 's/^espwiz //p' <<<"$version" | tr - +)"
check "deb info: Architecture amd64" has "$info" '^ Architecture: amd64$'
check "deb info: Depends libc6" has "$info" '^ Depends: .*libc6 ' 
check "deb info: Depends libreadline8" has "$info" '^ Depends: .*libreadline8'
check "deb info: no dependency on a Swift package" lacks "$info" '^ Depends: .*swift'
check "deb info: the dialout group in the description" has "$info" 'dialout'
check "deb info: the udev rules hint in the description" has "$info" 'udev'

contents="$(dpkg-deb --contents "$deb" | awk '{print $NF}')"
for f in ./usr/bin/espwiz ./usr/share/man/man1/espwiz.1.gz ./usr/share/bash-completion/completions/espwiz \
         ./usr/share/zsh/vendor-completions/_espwiz ./usr/share/fish/vendor_completions.d/espwiz.fish \
         ./usr/share/doc/espwiz/copyright ./usr/share/doc/espwiz/README.Debian \
         ./usr/share/doc/espwiz/examples/60-espwiz-serial.rules; do
  check "deb contents: $f" has "$contents" "^${f//./\\.}\$"
done
check "deb contents: nothing outside /usr" lacks "$contents" '^\./(etc|var|opt|home|root)/'
check "deb: /usr/bin/espwiz executable, owned by root" has "$(dpkg-deb --contents "$deb")" '^-rwxr-xr-x root/root .* \./usr/bin/espwiz$'

listing="$(tar -tzf "$tarball")"
for f in espwiz man/man1/espwiz.1 completions/espwiz.bash completions/_espwiz completions/espwiz.fish README.md 60-espwiz-serial.rules; do
  check "tarball: $name/$f" has "$listing" "^$name/$f\$"
done
check "man page has NAME and the flash subcommand" has "$(cat "$unpacked/$name/man/man1/espwiz.1")" 'flash'
check "bash completion names the subcommands" has "$(cat "$unpacked/$name/completions/espwiz.bash")" 'flash'

if [ "$failures" -gt 0 ]; then echo "check-package: $failures check(s) failed" >&2; exit 1; fi
echo "check-package: all checks passed ($(stat -c %s "$bin") bytes, $(basename "$deb"))"
