#!/usr/bin/env bash
# Measures the same WebSocket load, with the same load generator, against
#   direct   the echo backend itself (the physical limit here)
#   nginx    Debian's nginx with least_conn and the Upgrade headers
#   haproxy  Debian's HAProxy with balance leastconn and timeout tunnel
#   edge     one WsOrleans edge in Embedded mode
#   edges2   two WsOrleans edges sharing one silo (Localhost mode); the load alternates between them
# and prints one table, with each number also as a ratio to nginx's.
#
#   bench/run.sh                      # everything, about 4 minutes
#   ONLY=nginx,edge bench/run.sh      # some targets
#   DURATION=20s HOLD=8000 bench/run.sh
#
# Everything binds to 127.0.0.1; every process it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

ONLY=${ONLY:-direct,nginx,haproxy,edge,edges2}
CONNECTIONS=${CONNECTIONS:-200}      # echo: connections in closed loops
SIZE=${SIZE:-32}                     # echo: bytes per message
DURATION=${DURATION:-10s}            # echo and handshakes: measured time
WARMUP=${WARMUP:-2s}
CONCURRENCY=${CONCURRENCY:-50}       # handshakes: connect/close loops
HOLD=${HOLD:-5000}                   # idle connections held to measure memory
WORK=${WORK:-/tmp/wsorleans-bench}
EDGE_ENV=${EDGE_ENV:-}               # extra environment for the edges and silo, e.g. EDGE_ENV=DOTNET_gcServer=1

BACKEND_PORT=5301 NGINX_PORT=5302 HAPROXY_PORT=5303 EDGE_PORT=5304 EDGES_PORT_A=5305 EDGES_PORT_B=5306

rm -rf "$WORK" && mkdir -p "$WORK"
ulimit -n "$(ulimit -Hn)"
PIDS=()
HOLDERS=()
cleanup() {
  for pid in "${PIDS[@]}" "${HOLDERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

install_missing() {
  local missing=()
  wants nginx && ! command -v nginx >/dev/null && missing+=(nginx-light)
  wants haproxy && ! command -v haproxy >/dev/null && missing+=(haproxy)
  command -v python3 >/dev/null || missing+=(python3)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

build() {
  log "building (Release)"
  for project in bench/WsOrleans.Bench samples/EchoBackend src/Edge src/Silo; do
    dotnet build "$project" -c Release -v quiet -nologo >/dev/null
  done
  BENCH="dotnet $ROOT/bench/WsOrleans.Bench/bin/Release/net10.0/WsOrleans.Bench.dll"
  ECHO_DLL=$ROOT/samples/EchoBackend/bin/Release/net10.0/WsOrleans.EchoBackend.dll
  EDGE_DLL=$ROOT/src/Edge/bin/Release/net10.0/WsOrleans.Edge.dll
  SILO_DLL=$ROOT/src/Silo/bin/Release/net10.0/WsOrleans.Silo.dll
}

# start NAME COMMAND...: runs a process in the background, its output in $WORK/NAME.log
start() {
  local name=$1; shift
  "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  echo $!
}

wait_port() {
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  log "nothing listens on port $1"; return 1
}

# rss PID...: resident memory in kB of these processes and their children
rss() {
  local total=0 pid kb
  for pid in "$@"; do
    for p in $pid $(pgrep -P "$pid" || true); do
      kb=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
      total=$((total + kb))
    done
  done
  echo $total
}

# settled_rss PID...: the RSS once it stops moving (it lags while allocators and the GC catch up)
settled_rss() {
  local previous=-1 current
  for _ in $(seq 1 20); do
    current=$(rss "$@")
    if (( previous >= 0 && (current - previous) * 100 <= previous )); then echo "$current"; return; fi
    previous=$current
    sleep 1
  done
  echo "$current"
}

edge_env() {
  echo "DOTNET_NOLOGO=1 $EDGE_ENV"
}

# hold_start URL COUNT: opens COUNT idle connections in the background and waits until all are open
hold_start() {
  rm -f "$WORK/ready"
  $BENCH hold --url "$1" --connections "$2" --connect-rate 2000/s --hold-for 600s \
    --ready-file "$WORK/ready" >>"$WORK/$target-hold.json" 2>>"$WORK/$target-hold.log" &
  HOLDERS+=($!)
  for _ in $(seq 1 600); do [[ -f "$WORK/ready" ]] && return 0; kill -0 $! 2>/dev/null || return 1; sleep 0.1; done
}

hold_stop() {
  kill -TERM "${HOLDERS[@]}" 2>/dev/null || true
  wait "${HOLDERS[@]}" 2>/dev/null || true
  HOLDERS=()
}

# measure TARGET URL PID...: memory per idle connection, then echo, then handshakes
measure() {
  local target=$1 url=$2; shift 2
  local pids=("$@")
  $BENCH echo --url "$url" --connections 10 --duration 1s --warmup 1s >/dev/null 2>&1 || true

  # Resident memory of a fresh process, with half and then all of $HOLD idle connections open:
  # growth over all of them per connection (what the issue asks), and the marginal cost of the
  # second half (one-time costs such as allocator arenas or the GC's budget excluded).
  log "$target: holding $HOLD idle connections"
  local before mid after
  HOLDERS=()
  before=$(settled_rss "${pids[@]}")
  hold_start "$url" $((HOLD / 2))
  mid=$(settled_rss "${pids[@]}")
  hold_start "$url" $((HOLD - HOLD / 2))
  after=$(settled_rss "${pids[@]}")
  hold_stop
  echo "{\"target\":\"$target\",\"rssBeforeKb\":$before,\"rssMidKb\":$mid,\"rssAfterKb\":$after,\"held\":$HOLD}" >"$WORK/$target-memory.json"

  log "$target: echo, $CONNECTIONS connections, $SIZE bytes, $DURATION"
  $BENCH echo --url "$url" --connections "$CONNECTIONS" --size "$SIZE" --duration "$DURATION" --warmup "$WARMUP" \
    >"$WORK/$target-echo.json" 2>"$WORK/$target-echo.log" || true
  log "$target: handshakes, $CONCURRENCY loops, $DURATION"
  $BENCH handshakes --url "$url" --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup "$WARMUP" \
    >"$WORK/$target-handshakes.json" 2>"$WORK/$target-handshakes.log" || true
}

backend_config() {
  echo "--WsOrleans:Pools:default:Strategy=LeastConnections" \
       "--WsOrleans:Pools:default:Backends:0:Id=echo" \
       "--WsOrleans:Pools:default:Backends:0:Address=ws://127.0.0.1:$BACKEND_PORT"
}

install_missing
build

log "starting the echo backend"
BACKEND_PID=$(start backend dotnet "$ECHO_DLL" --Id=echo --Urls=http://127.0.0.1:$BACKEND_PORT)
wait_port $BACKEND_PORT

if wants direct; then
  measure direct "ws://127.0.0.1:$BACKEND_PORT/ws" "$BACKEND_PID"
fi

if wants nginx; then
  sed -e "s|\${DIR}|$WORK|g" -e "s|\${NGINX_PORT}|$NGINX_PORT|g" -e "s|\${BACKEND_PORT}|$BACKEND_PORT|g" \
    bench/configs/nginx.conf.template >"$WORK/nginx.conf"
  pid=$(start nginx nginx -c "$WORK/nginx.conf" -p "$WORK")
  wait_port $NGINX_PORT
  measure nginx "ws://127.0.0.1:$NGINX_PORT/ws" "$pid"
  kill "$pid"
fi

if wants haproxy; then
  sed -e "s|\${HAPROXY_PORT}|$HAPROXY_PORT|g" -e "s|\${BACKEND_PORT}|$BACKEND_PORT|g" \
    bench/configs/haproxy.cfg.template >"$WORK/haproxy.cfg"
  pid=$(start haproxy haproxy -db -f "$WORK/haproxy.cfg")
  wait_port $HAPROXY_PORT
  measure haproxy "ws://127.0.0.1:$HAPROXY_PORT/ws" "$pid"
  kill "$pid"
fi

if wants edge; then
  # shellcheck disable=SC2046
  pid=$(start edge env $(edge_env) dotnet "$EDGE_DLL" --Urls=http://127.0.0.1:$EDGE_PORT \
    --WsOrleans:Management:Urls=http://127.0.0.1:9914 \
    --WsOrleans:Cluster:SiloPort=11191 --WsOrleans:Cluster:GatewayPort=30091 \
    --Logging:LogLevel:Default=Warning $(backend_config))
  wait_port $EDGE_PORT
  measure edge "ws://127.0.0.1:$EDGE_PORT/ws" "$pid"
  kill "$pid"
fi

if wants edges2; then
  cluster="--WsOrleans:Cluster:Mode=Localhost --WsOrleans:Cluster:GatewayPort=30092"
  # shellcheck disable=SC2046,SC2086
  silo=$(start silo env $(edge_env) dotnet "$SILO_DLL" $cluster --WsOrleans:Cluster:SiloPort=11192 \
    --WsOrleans:Cluster:PrimarySiloPort=11192 --Logging:LogLevel:Default=Warning $(backend_config))
  wait_port 30092
  edges=()
  for port in $EDGES_PORT_A $EDGES_PORT_B; do
    # shellcheck disable=SC2046,SC2086
    edges+=("$(start "edge-$port" env $(edge_env) dotnet "$EDGE_DLL" $cluster --Urls=http://127.0.0.1:$port \
      --WsOrleans:Management:Urls=http://127.0.0.1:$((port + 4610)) --Logging:LogLevel:Default=Warning)")
  done
  wait_port $EDGES_PORT_A && wait_port $EDGES_PORT_B
  measure edges2 "ws://127.0.0.1:$EDGES_PORT_A/ws,ws://127.0.0.1:$EDGES_PORT_B/ws" "${edges[@]}" "$silo"
  kill "${edges[@]}" "$silo"
fi

python3 bench/report.py "$WORK" "$ONLY"
