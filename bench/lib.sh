# Shared by run.sh and profile.sh: building the programs, starting the targets on loopback,
# and stopping everything that was started. Source it from the repository's root.

WORK=${WORK:-/tmp/wsorleans-bench}
EDGE_ENV=${EDGE_ENV:-}               # extra environment for the edges and silo, e.g. EDGE_ENV=DOTNET_gcServer=1
BACKEND_PORT=5301 NGINX_PORT=5302 HAPROXY_PORT=5303 EDGE_PORT=5304 EDGES_PORT_A=5305 EDGES_PORT_B=5306
NGINX_TLS_PORT=5312 HAPROXY_TLS_PORT=5313 EDGE_TLS_PORT=5314   # the same targets terminating TLS: 531x for 530x
TLS_CERT=$WORK/tls/cert.pem TLS_KEY=$WORK/tls/key.pem TLS_PEM=$WORK/tls/cert-and-key.pem

ulimit -n "$(ulimit -Hn)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

# install_missing PACKAGE...: installs with apt-get the Debian packages whose command is missing
# (given as command:package, e.g. nginx:nginx-light).
install_missing() {
  local missing=() spec
  for spec in "$@"; do command -v "${spec%%:*}" >/dev/null || missing+=("${spec#*:}"); done
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
  BENCH="dotnet $PWD/bench/WsOrleans.Bench/bin/Release/net10.0/WsOrleans.Bench.dll"
  ECHO_DLL=$PWD/samples/EchoBackend/bin/Release/net10.0/WsOrleans.EchoBackend.dll
  # Set EDGE_DLL and SILO_DLL to measure another build (an earlier commit's, for an A/B) with the same script.
  EDGE_DLL=${EDGE_DLL:-$PWD/src/Edge/bin/Release/net10.0/WsOrleans.Edge.dll}
  SILO_DLL=${SILO_DLL:-$PWD/src/Silo/bin/Release/net10.0/WsOrleans.Silo.dll}
}

# start NAME COMMAND...: runs a process in the background, its output in $WORK/NAME.log; its pid
# is left in STARTED (not printed: a command substitution would run it in a subshell, and the
# pid would never reach PIDS, so the process would outlive the script).
start() {
  local name=$1; shift
  "$@" >"$WORK/$name.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

# ensure_free PORT...: stops the script if something already listens on one of these ports (a
# process left from an earlier run would otherwise be measured instead of the one started now).
ensure_free() {
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      log "port $port is already in use (by: $(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1)); stop that process first"
      exit 1
    fi
  done
}

wait_port() {
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  log "nothing listens on port $1"; return 1
}

# family PID...: these processes and their children (nginx's workers), one per line
family() {
  local pid
  for pid in "$@"; do
    echo "$pid"
    pgrep -P "$pid" || true
  done
}

# rss PID...: resident memory in kB of these processes and their children
rss() {
  local total=0 p kb
  for p in $(family "$@"); do
    kb=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + kb))
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

# hold_start URL COUNT [OPTION...]: opens COUNT idle connections in the background (the load
# generator getting OPTION too) and waits until all are open; its output goes to $OUT/$target-hold.*
hold_start() {
  rm -f "$OUT/ready"
  $BENCH hold --url "$1" --connections "$2" --connect-rate 2000/s --hold-for 600s "${@:3}" \
    --ready-file "$OUT/ready" >>"$OUT/$target-hold.json" 2>>"$OUT/$target-hold.log" &
  HOLDERS+=($!)
  PIDS+=($!)
  for _ in $(seq 1 600); do [[ -f "$OUT/ready" ]] && return 0; kill -0 $! 2>/dev/null || return 1; sleep 0.1; done
}

hold_stop() {
  kill -TERM "${HOLDERS[@]}" 2>/dev/null || true
  wait "${HOLDERS[@]}" 2>/dev/null || true
  HOLDERS=()
}

# start_backend [ENV...]: the echo backend on $BACKEND_PORT, with ENV in its environment.
start_backend() {
  ensure_free $BACKEND_PORT
  start backend env "$@" dotnet "$ECHO_DLL" --Id=echo --Urls=http://127.0.0.1:$BACKEND_PORT
  wait_port $BACKEND_PORT
}

# render NAME: bench/configs/NAME.template with ${DIR}, the ports and the TLS files filled in, as $WORK/NAME
render() {
  local DIR=$WORK variable substitutions=()
  for variable in DIR BACKEND_PORT NGINX_PORT HAPROXY_PORT NGINX_TLS_PORT HAPROXY_TLS_PORT TLS_CERT TLS_KEY TLS_PEM; do
    substitutions+=(-e "s|\${$variable}|${!variable}|g")
  done
  sed "${substitutions[@]}" "bench/configs/$1.template" >"$WORK/$1"
}

# make_certificate: the self-signed ECDSA P-256 certificate every TLS target presents (for 127.0.0.1
# and localhost), its key, and both in one file for HAProxy; in $WORK/tls.
make_certificate() {
  mkdir -p "$WORK/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$TLS_KEY" -out "$TLS_CERT" 2>/dev/null
  cat "$TLS_CERT" "$TLS_KEY" >"$TLS_PEM"
}

start_nginx() {
  render nginx.conf
  ensure_free $NGINX_PORT
  start nginx nginx -c "$WORK/nginx.conf" -p "$WORK"
  wait_port $NGINX_PORT
}

start_haproxy() {
  render haproxy.cfg
  ensure_free $HAPROXY_PORT
  start haproxy haproxy -db -f "$WORK/haproxy.cfg"
  wait_port $HAPROXY_PORT
}

start_nginx_tls() {
  render nginx-tls.conf
  ensure_free $NGINX_TLS_PORT
  start nginx-tls nginx -c "$WORK/nginx-tls.conf" -p "$WORK"
  wait_port $NGINX_TLS_PORT
}

start_haproxy_tls() {
  render haproxy-tls.cfg
  ensure_free $HAPROXY_TLS_PORT
  start haproxy-tls haproxy -db -f "$WORK/haproxy-tls.cfg"
  wait_port $HAPROXY_TLS_PORT
}

backend_config() {
  echo "--WsOrleans:Pools:default:Strategy=LeastConnections" \
       "--WsOrleans:Pools:default:Backends:0:Id=echo" \
       "--WsOrleans:Pools:default:Backends:0:Address=ws://127.0.0.1:$BACKEND_PORT"
}

# start_edge [ENV...]: one edge in Embedded mode on $EDGE_PORT, with $EDGE_ENV and ENV in its environment.
start_edge() {
  ensure_free $EDGE_PORT 9914 11191 30091
  # shellcheck disable=SC2046,SC2086
  start edge env DOTNET_NOLOGO=1 $EDGE_ENV "$@" dotnet "$EDGE_DLL" --Urls=http://127.0.0.1:$EDGE_PORT \
    --WsOrleans:Management:Urls=http://127.0.0.1:9914 \
    --WsOrleans:Cluster:SiloPort=11191 --WsOrleans:Cluster:GatewayPort=30091 \
    --Logging:LogLevel:Default=Warning $(backend_config)
  wait_port $EDGE_PORT
}

# start_edge_tls: as start_edge, its public listener on $EDGE_TLS_PORT terminating TLS with the run's
# certificate through Kestrel's endpoint configuration (README, "TLS"); Kestrel's TLS defaults otherwise.
start_edge_tls() {
  local endpoint=--Kestrel:Endpoints:Wss
  ensure_free $EDGE_TLS_PORT 9924 11193 30093
  # shellcheck disable=SC2046,SC2086
  start edge-tls env DOTNET_NOLOGO=1 $EDGE_ENV dotnet "$EDGE_DLL" $endpoint:Url=https://127.0.0.1:$EDGE_TLS_PORT \
    $endpoint:Certificate:Path="$TLS_CERT" $endpoint:Certificate:KeyPath="$TLS_KEY" \
    --WsOrleans:Management:Urls=http://127.0.0.1:9924 \
    --WsOrleans:Cluster:SiloPort=11193 --WsOrleans:Cluster:GatewayPort=30093 \
    --Logging:LogLevel:Default=Warning $(backend_config)
  wait_port $EDGE_TLS_PORT
}

# start_edges2 [SILOS]: one silo (or two, the second joining the first) and two edges in Localhost mode; with two
# silos each edge is a client of its own silo's gateway. Their pids are left in EDGES2_PIDS.
start_edges2() {
  local silos=${1:-1} cluster="--WsOrleans:Cluster:Mode=Localhost --WsOrleans:Cluster:PrimarySiloPort=11192" port gateway
  ensure_free $EDGES_PORT_A $EDGES_PORT_B 30092 11192
  # shellcheck disable=SC2046,SC2086
  start silo env DOTNET_NOLOGO=1 $EDGE_ENV dotnet "$SILO_DLL" $cluster --WsOrleans:Cluster:SiloPort=11192 \
    --WsOrleans:Cluster:GatewayPort=30092 --Logging:LogLevel:Default=Warning $(backend_config)
  EDGES2_PIDS=("$STARTED")
  wait_port 30092
  if ((silos == 2)); then
    ensure_free 30094 11194
    # shellcheck disable=SC2046,SC2086
    start silo2 env DOTNET_NOLOGO=1 $EDGE_ENV dotnet "$SILO_DLL" $cluster --WsOrleans:Cluster:SiloPort=11194 \
      --WsOrleans:Cluster:GatewayPort=30094 --Logging:LogLevel:Default=Warning $(backend_config)
    EDGES2_PIDS+=("$STARTED")
    wait_port 30094
  fi

  for port in $EDGES_PORT_A $EDGES_PORT_B; do
    gateway=30092
    if ((silos == 2)) && [[ $port == "$EDGES_PORT_B" ]]; then gateway=30094; fi
    # shellcheck disable=SC2086
    start "edge-$port" env DOTNET_NOLOGO=1 $EDGE_ENV dotnet "$EDGE_DLL" $cluster --WsOrleans:Cluster:GatewayPort=$gateway \
      --Urls=http://127.0.0.1:$port --WsOrleans:Management:Urls=http://127.0.0.1:$((port + 4610)) --Logging:LogLevel:Default=Warning
    EDGES2_PIDS+=("$STARTED")
  done
  wait_port $EDGES_PORT_A && wait_port $EDGES_PORT_B
}

# stop PID...: stops these processes, and waits for them to go (so their ports are free); one
# still shutting down gracefully after 10 s is killed.
stop() {
  kill "$@" 2>/dev/null || true
  for pid in "$@"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
