#!/usr/bin/env bash
# Where a handshake's CPU goes: runs the handshake load against nginx and against one edge
# (Embedded mode), records every CPU with `perf record -g` meanwhile, and prints each proxy's,
# the backend's and the load generator's CPU per handshake, split into kernel time by system
# call and user time by component (Kestrel, YARP, Orleans, the edge's own code, the runtime).
#
#   bench/profile.sh                  # nginx, then the edge: about 1 minute
#   SECONDS_RECORDED=20 CONCURRENCY=100 bench/profile.sh
#
# Needs perf (Debian's linux-perf, installed if missing) and permission to record every CPU.
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENCY=${CONCURRENCY:-50}
SECONDS_RECORDED=${SECONDS_RECORDED:-12}
HZ=${HZ:-499}
source bench/lib.sh
rm -rf "$WORK" && mkdir -p "$WORK"

install_missing perf:linux-perf nginx:nginx-light python3:python3
build
PERF_MAPS=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
BENCH="env ${PERF_MAPS[*]} $BENCH"
start_backend "${PERF_MAPS[@]}"
backend=$STARTED

# profile NAME URL PROXY_PID...: handshakes for the recorded window plus one second either side.
profile() {
  local name=$1 url=$2; shift 2
  $BENCH handshakes --url "$url" --concurrency "$CONCURRENCY" --duration 10s --warmup 20s >/dev/null 2>&1
  $BENCH handshakes --url "$url" --concurrency "$CONCURRENCY" --duration "$((SECONDS_RECORDED + 2))s" --warmup 0s \
    >"$WORK/$name-profile.json" 2>/dev/null &
  local load=$!
  sleep 1
  log "$name: recording ${SECONDS_RECORDED}s of handshakes"
  perf record -a -g -F "$HZ" -o "$WORK/$name.perf" -- sleep "$SECONDS_RECORDED" 2>/dev/null
  wait $load
  local rate handshakes
  rate=$(python3 -c "import json; print(json.load(open('$WORK/$name-profile.json'))['handshakesPerSecond'])")
  handshakes=$(python3 -c "print($rate * $SECONDS_RECORDED)")
  echo "== $name"
  python3 bench/perf_split.py "$WORK/$name.perf" "$handshakes" "$SECONDS_RECORDED" "$HZ" \
    "$name=$(echo "$@" $(pgrep -P "$1" || true) | tr ' ' ',')" "backend=$backend" "load generator=$load"
}

start_nginx
profile nginx "ws://127.0.0.1:$NGINX_PORT/ws" "$STARTED"
stop "$STARTED"

start_edge "${PERF_MAPS[@]}"
profile edge "ws://127.0.0.1:$EDGE_PORT/ws" "$STARTED"
stop "$STARTED"
