#!/usr/bin/env bash
# Runs every test. On a fresh machine it first installs, with apt-get, what the tests use but do not
# ship: redis-server (the Redis-mode tests start their own servers on free loopback ports) and
# chromium (the dashboard test drives Debian's /usr/bin/chromium with Playwright; Playwright's own
# browser downloads are never used).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  # The redis package starts a server of its own on 6379; the tests do not use it.
  $sudo service redis-server stop >/dev/null 2>&1 || true
fi

# Load tests hold hundreds of sockets, two descriptors each through the edge.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

exec dotnet test WsOrleans.sln "$@"
