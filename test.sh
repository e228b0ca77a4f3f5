#!/usr/bin/env bash
# Runs every test. On a fresh machine it first installs, with apt-get, what the tests use but do not
# ship: redis-server (the Redis-mode tests start their own servers on free loopback ports),
# chromium (the dashboard test drives Debian's /usr/bin/chromium with Playwright; Playwright's own
# browser downloads are never used), iproute2 and nftables (the partition tests make hosts out of
# network namespaces and cut them apart; this needs root) and, when there is no node, Debian's
# nodejs and npm. Then it
# installs the node harness's packages (tests/Functional/node: real Socket.IO and SignalR clients)
# from its package-lock.json when they are missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v ip >/dev/null || missing+=(iproute2)
command -v nft >/dev/null || missing+=(nftables)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  # The redis package starts a server of its own on 6379; the tests do not use it.
  $sudo service redis-server stop >/dev/null 2>&1 || true
fi

harness=tests/Functional/node
if [[ ! -f $harness/node_modules/.package-lock.json || $harness/package-lock.json -nt $harness/node_modules/.package-lock.json ]]; then
  npm ci --prefix "$harness" --no-audit --no-fund --loglevel=error
fi

# Load tests hold hundreds of sockets, two descriptors each through the edge.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

exec dotnet test WsOrleans.sln "$@"
