#!/usr/bin/env bash
# Routing throughput: routing decisions per second for one pool from C concurrent callers, and the latency of each
# decision, made by each benchmark edge by itself as edges route by default (ROUTING=edge: EDGES edges per silo, their
# views read from that silo's router), through the silos' routers (ROUTING=router, edges with RouteLocally=false) and
# through the pool grain's one activation (the baseline, ROUTING=pool), on SILOS silos (callers spread evenly over
# them), in two modes:
#   cohosted  callers in the silo's process, through its own grain factory (an Embedded edge)
#   loopback  an Orleans client in the same process, over TCP to the silo's gateway (a Localhost edge)
# Each caller closes one of its held connections per new one, released as edges do (numbered, coalesced). Prints one
# table; the JSON of every run is kept in $WORK/route.jsonl. See bench/ROUTING.md.
#
#   bench/route.sh                                  # both modes, both strategies, 1/16/64/256 callers, ~3 min
#   MODES=cohosted CONCURRENCY=1,64 bench/route.sh
#   DURATION=10s STRATEGIES=LeastConnections bench/route.sh
#   SILOS=1,2 CONCURRENCY=256 bench/route.sh        # one silo, then two (callers spread over both)
#   OPEN=30000 RATE=10000 bench/route.sh            # paced: connections live 3 s, as clients rather than a flood
#   LIFETIMES=random OPEN=30000 RATE=10000 bench/route.sh  # the same, each connection living a random time (3 s mean)
#   EDGES=8 ROUTING=edge OPEN=30000 RATE=30000 bench/route.sh  # eight deciding edges per silo: balance with many deciders
#   EDGE_TRAFFIC=uneven EDGES=4 ROUTING=edge OPEN=30000 RATE=30000 bench/route.sh  # one edge making half of the decisions
#   EDGE_TRAFFIC=shift EDGES=4 ROUTING=edge OPEN=30000 RATE=30000 bench/route.sh   # ... until mid-window, when its callers all move to another edge
#   EDGE_TRAFFIC=surge EDGES=4 ROUTING=edge OPEN=30000 RATE=30000 bench/route.sh   # one edge at its part of the rate, then mid-window all
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MODES=${MODES:-cohosted,loopback}
SILOS=${SILOS:-1}                    # silos per cluster, comma-separated for several clusters
EDGES=${EDGES:-1}                    # benchmark edges per silo, the callers spread over them (each decides with ROUTING=edge)
EDGE_TRAFFIC=${EDGE_TRAFFIC:-even}   # even, uneven (half of the callers on the first edge), shift (uneven, then mid-window
                                     # the first edge's callers move to the second), surge (the first edge's alone until mid-window)
ROUTING=${ROUTING:-edge,pool}        # what decides: the edges themselves, the silos' routers, the pool grain's one activation
TIME_TURNS=${TIME_TURNS:-true}       # time the pool grain's turns (pool grain busy, µs per decision)
STRATEGIES=${STRATEGIES:-LeastConnections,RoundRobin}
CONCURRENCY=${CONCURRENCY:-1,16,64,256}
DURATION=${DURATION:-5s}             # measured window of each run
WARMUP=${WARMUP:-2s}                 # before each window (the JIT is warmed once per pool first)
OPEN=${OPEN:-3000}                   # connections held open; 0 releases each one as soon as it is routed
RATE=${RATE:-0}                      # decisions/s across all callers; 0 = as fast as answered. Connections live OPEN/RATE s
LIFETIMES=${LIFETIMES:-fixed}        # fixed: each caller closes its oldest; random: a random one (lives of random length, same mean)
WORK=${WORK:-/tmp/wsorleans-bench}

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

mkdir -p "$WORK"
log "routing: building (Release)"
dotnet build bench/WsOrleans.RouteBench -c Release -v quiet -nologo >/dev/null
ROUTE_BENCH="dotnet $ROOT/bench/WsOrleans.RouteBench/bin/Release/net10.0/WsOrleans.RouteBench.dll"

read -r load _ </proc/loadavg
if awk -v load="$load" -v cores="$(nproc)" 'BEGIN { exit !(load > cores / 2) }'; then
  log "routing: the machine is busy (load average $load on $(nproc) cores); numbers will be low —" \
      "the table's \"others' cpu\" column says how much of the cores other processes took"
fi

log "routing: $ROUTING on $SILOS silo(s), $EDGES edge(s) each × $MODES × $STRATEGIES × $CONCURRENCY callers, $DURATION each"
# The table and the per-run lines go to stderr (and route.log); the JSON lines to route.jsonl.
status=0
# shellcheck disable=SC2086
$ROUTE_BENCH --silos "$SILOS" --edges "$EDGES" --edge-traffic "$EDGE_TRAFFIC" --routing "$ROUTING" --mode "$MODES" --time-turns "$TIME_TURNS" --strategy "$STRATEGIES" --concurrency "$CONCURRENCY" \
  --duration "$DURATION" --warmup "$WARMUP" --open "$OPEN" --rate "$RATE" --random-lifetimes "$([[ $LIFETIMES == random ]] && echo true || echo false)" \
  >"$WORK/route.jsonl" 2> >(tee "$WORK/route.log" >&2) || status=$?
wait
if ((status == 3)); then
  log "routing: some run had errors, refusals or counts that did not settle (see $WORK/route.jsonl)"
elif ((status != 0)); then
  log "routing: the benchmark failed (exit code $status); see $WORK/route.log"
fi
exit $status
