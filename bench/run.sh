#!/usr/bin/env bash
# Measures the same WebSocket load, with the same load generator, against
#   direct   the echo backend itself (the physical limit here)
#   nginx    Debian's nginx with least_conn and the Upgrade headers
#   haproxy  Debian's HAProxy with balance leastconn and timeout tunnel
#   edge     one WsOrleans edge in Embedded mode (its tunnels on the event loop, the default on Linux)
#   edge-managed  the same edge with its tunnels on .NET's async sockets (Edge:Tunnel=Managed), measured
#            against edge (not in the default set; ONLY=...,edge-managed)
#   edges2   two WsOrleans edges sharing one silo (Localhost mode); the load alternates between them
#   edges2-2silos  the same two edges, each a client of its own silo's gateway, two silos (not in the default
#            set; ONLY=edges2,edges2-2silos). EDGE_DLL=... SILO_DLL=... measure another build the same way.
# and prints one table, with each number also as a ratio to nginx's. Over TLS (wss://, all three
# presenting the same self-signed ECDSA P-256 certificate made for the run, forwarding plain ws):
#   nginx-tls, haproxy-tls, edge-tls
# in a second table, with each number as a ratio to nginx-tls's.
#
#   bench/run.sh                      # the plain targets, about 4 minutes
#   ONLY=tls bench/run.sh             # the TLS targets; ONLY=all for both
#   ONLY=nginx,edge bench/run.sh      # some targets
#   DURATION=20s HOLD=8000 bench/run.sh
#
# Everything binds to 127.0.0.1; every process it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

PLAIN_TARGETS=direct,nginx,haproxy,edge,edges2
TLS_TARGETS=nginx-tls,haproxy-tls,edge-tls
ONLY=${ONLY:-$PLAIN_TARGETS}
case $ONLY in
  tls) ONLY=$TLS_TARGETS ;;
  all) ONLY=$PLAIN_TARGETS,$TLS_TARGETS ;;
esac
CONNECTIONS=${CONNECTIONS:-200}      # echo: connections in closed loops
SIZE=${SIZE:-32}                     # echo: bytes per message
DURATION=${DURATION:-10s}            # echo and handshakes: measured time
WARMUP=${WARMUP:-15s}                  # before each measured window: .NET targets (the edges, the backend, the load generator) are still tiering up their code for about 30 s under load
CONCURRENCY=${CONCURRENCY:-50}       # handshakes: connect/close loops
HOLD=${HOLD:-5000}                   # idle connections held to measure memory
RUNS=${RUNS:-1}                      # whole runs, one after another; the table shows each number's median
source bench/lib.sh

rm -rf "$WORK" && mkdir -p "$WORK"
HOLDERS=()
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

# measure TARGET URL PID...: memory per idle connection, then echo, then handshakes
measure() {
  local target=$1 url=$2; shift 2
  local pids=("$@") trust=() cpu_of
  cpu_of=$(family "$@" | paste -sd,)
  # A wss:// target presents the run's self-signed certificate: the load generator trusts it, and only it.
  [[ $url == wss://* ]] && trust=(--tls-trust "$TLS_CERT")
  $BENCH echo --url "$url" --connections 10 --duration 1s --warmup 1s "${trust[@]}" >/dev/null 2>&1 || true

  # Resident memory of a fresh process, with half and then all of $HOLD idle connections open:
  # growth over all of them per connection (what the issue asks), and the marginal cost of the
  # second half (one-time costs such as allocator arenas or the GC's budget excluded).
  log "$target: holding $HOLD idle connections"
  local before mid after
  HOLDERS=()
  before=$(settled_rss "${pids[@]}")
  hold_start "$url" $((HOLD / 2)) "${trust[@]}"
  mid=$(settled_rss "${pids[@]}")
  hold_start "$url" $((HOLD - HOLD / 2)) "${trust[@]}"
  after=$(settled_rss "${pids[@]}")
  hold_stop
  echo "{\"target\":\"$target\",\"rssBeforeKb\":$before,\"rssMidKb\":$mid,\"rssAfterKb\":$after,\"held\":$HOLD}" >"$OUT/$target-memory.json"

  log "$target: echo, $CONNECTIONS connections, $SIZE bytes, $DURATION"
  $BENCH echo --url "$url" --connections "$CONNECTIONS" --size "$SIZE" --duration "$DURATION" --warmup "$WARMUP" "${trust[@]}" \
    --cpu-of "$cpu_of" >"$OUT/$target-echo.json" 2>"$OUT/$target-echo.log" || true
  log "$target: handshakes, $CONCURRENCY loops, $DURATION"
  $BENCH handshakes --url "$url" --concurrency "$CONCURRENCY" --duration "$DURATION" --warmup "$WARMUP" "${trust[@]}" \
    --cpu-of "$cpu_of" >"$OUT/$target-handshakes.json" 2>"$OUT/$target-handshakes.log" || true
}

wanted_packages=(python3:python3)
{ wants nginx || wants nginx-tls; } && wanted_packages+=(nginx:nginx-light)
{ wants haproxy || wants haproxy-tls; } && wanted_packages+=(haproxy:haproxy)
wants_tls() { [[ ",$ONLY," == *-tls,* ]]; }
wants_tls && wanted_packages+=(openssl:openssl)
install_missing "${wanted_packages[@]}"
build
# One certificate for every TLS target and every run, so they all do the same TLS work.
wants_tls && make_certificate

# Each run measures every target afresh, its results in $WORK/run-N.
for run in $(seq 1 "$RUNS"); do
  OUT=$WORK/run-$run
  mkdir -p "$OUT"
  ((RUNS > 1)) && log "run $run of $RUNS"
  log "starting the echo backend"
  start_backend
  STARTED_BACKEND=$STARTED

  if wants direct; then
    measure direct "ws://127.0.0.1:$BACKEND_PORT/ws" "$STARTED_BACKEND"
  fi

  if wants nginx; then
    start_nginx
    measure nginx "ws://127.0.0.1:$NGINX_PORT/ws" "$STARTED"
    stop "$STARTED"
  fi

  if wants haproxy; then
    start_haproxy
    measure haproxy "ws://127.0.0.1:$HAPROXY_PORT/ws" "$STARTED"
    stop "$STARTED"
  fi

  if wants edge; then
    start_edge
    measure edge "ws://127.0.0.1:$EDGE_PORT/ws" "$STARTED"
    stop "$STARTED"
  fi

  if wants edge-managed; then
    start_edge WsOrleans__Edge__Tunnel=Managed
    measure edge-managed "ws://127.0.0.1:$EDGE_PORT/ws" "$STARTED"
    stop "$STARTED"
  fi

  if wants edges2; then
    start_edges2
    measure edges2 "ws://127.0.0.1:$EDGES_PORT_A/ws,ws://127.0.0.1:$EDGES_PORT_B/ws" "${EDGES2_PIDS[@]}"
    stop "${EDGES2_PIDS[@]}"
  fi

  if wants edges2-2silos; then
    start_edges2 2
    measure edges2-2silos "ws://127.0.0.1:$EDGES_PORT_A/ws,ws://127.0.0.1:$EDGES_PORT_B/ws" "${EDGES2_PIDS[@]}"
    stop "${EDGES2_PIDS[@]}"
  fi

  if wants nginx-tls; then
    start_nginx_tls
    measure nginx-tls "wss://127.0.0.1:$NGINX_TLS_PORT/ws" "$STARTED"
    stop "$STARTED"
  fi

  if wants haproxy-tls; then
    start_haproxy_tls
    measure haproxy-tls "wss://127.0.0.1:$HAPROXY_TLS_PORT/ws" "$STARTED"
    stop "$STARTED"
  fi

  if wants edge-tls; then
    start_edge_tls
    measure edge-tls "wss://127.0.0.1:$EDGE_TLS_PORT/ws" "$STARTED"
    stop "$STARTED"
  fi
  stop "$STARTED_BACKEND"
done

python3 bench/report.py "$WORK" "$ONLY"
