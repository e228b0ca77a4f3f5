#!/usr/bin/env bash
# Where the CPU goes: runs a load against nginx and against one edge (Embedded mode), records
# every CPU with `perf record -g` meanwhile, and prints each proxy's, the backend's and the load
# generator's CPU per handshake (or per echoed message), split into kernel time by system call
# and user time by component (Kestrel, YARP, Orleans, the edge's own code, the runtime).
#
#   bench/profile.sh                  # handshakes: nginx, then the edge, about 2 minutes
#   LOAD=echo bench/profile.sh        # 32-byte messages echoed over 200 connections
#   SECONDS_RECORDED=20 CONCURRENCY=100 bench/profile.sh
#   TLS=1 LOAD=echo bench/profile.sh  # each proxy terminating TLS (run.sh's nginx-tls and edge-tls)
#
# Needs perf (Debian's linux-perf, installed if missing) and permission to record every CPU.
set -euo pipefail
cd "$(dirname "$0")/.."

LOAD=${LOAD:-handshakes}             # handshakes, or echo
TLS=${TLS:-0}                        # 1: the proxies terminate TLS with the run's certificate
CONCURRENCY=${CONCURRENCY:-50}       # handshakes: connect/close loops
SECONDS_RECORDED=${SECONDS_RECORDED:-12}
HZ=${HZ:-499}
WORK=${WORK:-/tmp/wsorleans-profile}  # not run.sh's folder: each clears its own
source bench/lib.sh
rm -rf "$WORK" && mkdir -p "$WORK"

install_missing perf:linux-perf nginx:nginx-light python3:python3 openssl:openssl
build
TRUST=()
if ((TLS)); then
  make_certificate
  TRUST=(--tls-trust "$TLS_CERT")
fi
PERF_MAPS=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
BENCH="env ${PERF_MAPS[*]} $BENCH"
start_backend "${PERF_MAPS[@]}"
backend=$STARTED

# load URL SECONDS: the chosen load against URL, its JSON result on stdout. The generator
# replaces the shell running this, so a background load's $! is the generator's own pid.
load() {
  if [[ $LOAD == echo ]]; then
    exec $BENCH echo --url "$1" --connections 200 --duration "$2" --warmup 0s "${TRUST[@]}"
  else
    exec $BENCH handshakes --url "$1" --concurrency "$CONCURRENCY" --duration "$2" --warmup 0s "${TRUST[@]}"
  fi
}

# profile NAME URL PROXY_PID...: 30 s of warm-up (so .NET's code is fully compiled), then the
# load for the recorded window plus a second either side.
profile() {
  local name=$1 url=$2; shift 2
  (load "$url" 30s >/dev/null 2>&1)
  load "$url" "$((SECONDS_RECORDED + 2))s" >"$WORK/$name-profile.json" 2>/dev/null &
  local generator=$!
  sleep 1
  log "$name: recording ${SECONDS_RECORDED}s of $LOAD"
  perf record -a -g -F "$HZ" -o "$WORK/$name.perf" -- sleep "$SECONDS_RECORDED" 2>/dev/null
  wait $generator
  local rate unit
  [[ $LOAD == echo ]] && unit=message || unit=handshake
  rate=$(python3 -c "import json; d = json.load(open('$WORK/$name-profile.json')); print(d.get('messagesPerSecond') or d['handshakesPerSecond'])")
  echo "== $name"
  python3 bench/perf_split.py "$WORK/$name.perf" "$(python3 -c "print($rate * $SECONDS_RECORDED)")" "$unit" "$SECONDS_RECORDED" "$HZ" \
    "$name=$(echo "$@" $(pgrep -P "$1" || true) | tr ' ' ',')" "backend=$backend" "load generator=$generator"
}

if ((TLS)); then
  start_nginx_tls
  profile nginx "wss://127.0.0.1:$NGINX_TLS_PORT/ws" "$STARTED"
  stop "$STARTED"
  EDGE_ENV="$EDGE_ENV ${PERF_MAPS[*]}" start_edge_tls
  profile edge "wss://127.0.0.1:$EDGE_TLS_PORT/ws" "$STARTED"
  stop "$STARTED"
else
  start_nginx
  profile nginx "ws://127.0.0.1:$NGINX_PORT/ws" "$STARTED"
  stop "$STARTED"
  start_edge "${PERF_MAPS[@]}"
  profile edge "ws://127.0.0.1:$EDGE_PORT/ws" "$STARTED"
  stop "$STARTED"
fi
