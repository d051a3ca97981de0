#!/usr/bin/env bash
# Benchmark of many boards at once (issue: a flashing station). Not a test and not in CI.
#
#   scripts/benchmark-station.sh                  # 8 realtime simulated boards at 460800, 1 run
#   scripts/benchmark-station.sh --boards 4 --baud 921600 --runs 3
#
# Starts N `espwiz simulate --realtime` boards (each its own process, paced at the baud rate and
# with datasheet flash timings), flashes one of them alone with `espwiz flash --all --json`, then
# all N at once, and prints wall-clock times, the ratio (aim: at most 1.25) and espwiz's CPU time
# per board on this machine. Uses the release build and the real MicroPython v1.9.4 image.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
boards=8; baud=460800; runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --boards) boards="$2"; shift 2 ;;
    --baud) baud="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n 2,10p "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
build="${ESPWIZ_BUILD_DIR:-$root/.build}"
scripts/setup-test-deps.sh --firmware-only >&2
swift build -c release --product espwiz >&2
espwiz="$(swift build -c release --show-bin-path)/espwiz"
firmware="$build/firmware/micropython-firmware-combined.bin"
work="$(mktemp -d)"
sims=()
cleanup() { for p in "${sims[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export ESPWIZ_RUNTIME_DIR="$work/runtime" ESPWIZ_STATE_DIR="$work/state" NO_COLOR=1
mkdir -p "$work/dev" "$ESPWIZ_RUNTIME_DIR"
profiles=(nodemcu d1mini esp8285 nodemcu d1mini nodemcu esp8285 d1mini)
for i in $(seq 1 "$boards"); do
  profile="${profiles[$(( (i - 1) % ${#profiles[@]} ))]}"
  "$espwiz" simulate --realtime --profile "$profile" --unit "$i" --state firmware \
    --link "$work/dev/b$i" --control "$work/ctl$i" >/dev/null 2>&1 &
  sims+=($!)
done
for i in $(seq 1 "$boards"); do
  for _ in $(seq 1 100); do [ -e "$work/dev/b$i" ] && break; sleep 0.1; done
done

# One timed batch: prints "wall user+sys" in seconds.
timed() {
  local out="$work/time.txt"
  /usr/bin/env time -f "%e %U %S" -o "$out" "$espwiz" flash --all --json --no-docs --baud "$baud" --erase region "$@" "$firmware" >"$work/events.json"
  if ! grep -q '"failed":0' "$work/events.json"; then echo "a board failed; see $work/events.json" >&2; tail -3 "$work/events.json" >&2; exit 1; fi
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$out"
}
echo "| run | boards | wall s | espwiz CPU s | CPU s per board |"
echo "|---|---|---|---|---|"
for r in $(seq 1 "$runs"); do
  read -r w1 c1 < <(timed --port "$work/dev/b1")
  echo "| $r | 1 | $w1 | $c1 | $c1 |"
  ports=()
  for i in $(seq 1 "$boards"); do ports+=(--port "$work/dev/b$i"); done
  read -r wn cn < <(timed "${ports[@]}")
  per=$(awk -v c="$cn" -v n="$boards" 'BEGIN { printf "%.2f", c / n }')
  ratio=$(awk -v a="$wn" -v b="$w1" 'BEGIN { printf "%.2f", a / b }')
  echo "| $r | $boards | $wn | $cn | $per |"
  echo "ratio $boards boards / 1 board (run $r): $ratio (aim: at most 1.25)" >&2
done
