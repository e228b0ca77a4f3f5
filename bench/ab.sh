#!/usr/bin/env bash
# A/B of two edges side by side (the method of README.md, "Noise"): both start at once on the same backend, get 15 s
# of warm-up each, then alternate 5-second runs (A B, then B A, ...). Each run prints the rate and the edge's CPU per
# handshake or per message; compare the medians.
#
#   B_ENV=DOTNET_gcServer=0 bench/ab.sh                        # the same build, two settings
#   A_DLL=/tmp/old/src/Edge/bin/Release/net10.0/WsOrleans.Edge.dll bench/ab.sh   # an earlier build against this one
#   LOAD=echo ROUNDS=8 bench/ab.sh                             # 200 connections echoing 32-byte messages
#
# A_DLL and B_DLL default to this tree's Release build; A_ENV and B_ENV are space-separated NAME=value pairs.
set -euo pipefail
cd "$(dirname "$0")/.."

LOAD=${LOAD:-handshakes}   # handshakes (50 loops), or echo
ROUNDS=${ROUNDS:-6}
WORK=${WORK:-/tmp/wsorleans-ab}
source bench/lib.sh
rm -rf "$WORK" && mkdir -p "$WORK"
build
A_DLL=${A_DLL:-$EDGE_DLL}
B_DLL=${B_DLL:-$EDGE_DLL}

start_backend
backends=$(backend_config)

# start_ab NAME DLL PORT MANAGEMENT_PORT SILO_PORT GATEWAY_PORT [ENV...]: one Embedded edge, its pid in STARTED.
# Both spin no thread-pool threads while waiting, so CPU is charged to work, not to who waits more.
start_ab() {
  local name=$1 dll=$2 port=$3 management=$4 silo=$5 gateway=$6; shift 6
  ensure_free "$port" "$management" "$silo" "$gateway"
  # shellcheck disable=SC2086
  start "$name" env DOTNET_NOLOGO=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 "$@" dotnet "$dll" \
    --Urls=http://127.0.0.1:$port --WsOrleans:Management:Urls=http://127.0.0.1:$management \
    --WsOrleans:Cluster:SiloPort=$silo --WsOrleans:Cluster:GatewayPort=$gateway \
    --Logging:LogLevel:Default=Warning $backends
  wait_port "$port"
}

# shellcheck disable=SC2086
start_ab A "$A_DLL" "$EDGE_PORT" 9914 11191 30091 ${A_ENV:-}
A_PID=$STARTED
# shellcheck disable=SC2086
start_ab B "$B_DLL" "$EDGE_TLS_PORT" 9924 11193 30093 ${B_ENV:-}
B_PID=$STARTED

# load PORT PID DURATION: one run against the edge on PORT, its JSON result on stdout
load() {
  if [[ $LOAD == echo ]]; then
    $BENCH echo --url "ws://127.0.0.1:$1/ws" --connections 200 --size 32 --duration "$3" --warmup 1s --cpu-of "$2"
  else
    $BENCH handshakes --url "ws://127.0.0.1:$1/ws" --concurrency 50 --duration "$3" --warmup 1s --cpu-of "$2"
  fi
}

log "warming both edges up (15 s each)"
load "$EDGE_PORT" "$A_PID" 15s >/dev/null 2>&1
load "$EDGE_TLS_PORT" "$B_PID" 15s >/dev/null 2>&1
for round in $(seq 1 "$ROUNDS"); do
  order=(A B)
  ((round % 2 == 0)) && order=(B A)
  for side in "${order[@]}"; do
    if [[ $side == A ]]; then port=$EDGE_PORT pid=$A_PID; else port=$EDGE_TLS_PORT pid=$B_PID; fi
    load "$port" "$pid" 5s >"$WORK/$side-$round.json" 2>/dev/null
    python3 - "$WORK/$side-$round.json" "$side" <<'EOF'
import json, sys
result = json.load(open(sys.argv[1]))
rate = result.get("handshakesPerSecond") or result["messagesPerSecond"]
unit = "handshakes/s" if "handshakesPerSecond" in result else "messages/s"
p99 = f", RTT p99 {result['rttP99Us']:,.0f} µs" if "rttP99Us" in result else ""
print(f"{sys.argv[2]}: {rate:,.0f} {unit}, {result['targetCpuSeconds'] / (rate * result['durationSeconds']) * 1e6:.1f} µs of CPU each{p99}")
EOF
  done
done
