#!/usr/bin/env bash
# Memory per idle connection alone, measured as run.sh measures it (one fresh Embedded edge, resident memory with
# half and then all of HOLD idle connections open), and what the edge's GC heap holds then, by type.
#
#   bench/idle.sh                                  # about 40 s
#   bench/idle.sh DOTNET_gcServer=1                # NAME=value pairs go to the edge's environment
#   GCDUMP=0 HOLD=8000 bench/idle.sh
#
# The heap report needs dotnet-gcdump (`dotnet tool install -g dotnet-gcdump`, installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

HOLD=${HOLD:-5000}
GCDUMP=${GCDUMP:-1}
TOP=${TOP:-25}
WORK=${WORK:-/tmp/wsorleans-idle}
source bench/lib.sh
rm -rf "$WORK" && mkdir -p "$WORK"
OUT=$WORK target=edge
build
GCDUMP_TOOL=$HOME/.dotnet/tools/dotnet-gcdump
if ((GCDUMP)) && [[ ! -x $GCDUMP_TOOL ]]; then
  log "installing dotnet-gcdump"
  dotnet tool install -g dotnet-gcdump >/dev/null
fi

start_backend
start_edge "$@"
edge=$STARTED
$BENCH echo --url "ws://127.0.0.1:$EDGE_PORT/ws" --connections 10 --duration 1s --warmup 1s >/dev/null 2>&1 || true

HOLDERS=()
before=$(settled_rss "$edge")
hold_start "ws://127.0.0.1:$EDGE_PORT/ws" $((HOLD / 2))
mid=$(settled_rss "$edge")
hold_start "ws://127.0.0.1:$EDGE_PORT/ws" $((HOLD - HOLD / 2))
after=$(settled_rss "$edge")
python3 -c "
before, mid, after, hold = $before, $mid, $after, $HOLD
print(f'resident memory: {before:,} KB fresh, {mid:,} KB with {hold // 2:,} idle connections, {after:,} KB with {hold:,}')
print(f'KB per idle connection: {(after - before) / hold:.1f} (marginal {(after - mid) / (hold - hold // 2):.1f})')"

if ((GCDUMP)); then
  "$GCDUMP_TOOL" collect -p "$edge" -o "$WORK/edge.gcdump" >/dev/null 2>&1
  "$GCDUMP_TOOL" report "$WORK/edge.gcdump" 2>/dev/null >"$WORK/heap.txt"
  # The report lists each type's objects by size class with the size of one object; total them per type.
  python3 - "$WORK/heap.txt" "$TOP" "$HOLD" <<'EOF'
import collections, re, sys
total, count = collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    match = re.match(r"\s*([\d,]+)\s+([\d,]+)\s+(.*?)(\s+\(Bytes.*\))?\s+\[", line)
    if match:
        objects = int(match.group(2).replace(",", ""))
        total[match.group(3)] += int(match.group(1).replace(",", "")) * objects
        count[match.group(3)] += objects
print(f"GC heap: {sum(total.values()) / 1e6:.1f} MB with {int(sys.argv[3]):,} idle connections; the largest types:")
for name, size in total.most_common(int(sys.argv[2])):
    print(f"{size:>12,} B {count[name]:>8,}  {name[:120]}")
EOF
fi
hold_stop
