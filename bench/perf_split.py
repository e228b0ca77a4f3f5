#!/usr/bin/env python3
"""Splits a system-wide `perf record -g` of a load into CPU time per unit of work.

    perf_split.py PERF_DATA COUNT UNIT SECONDS HZ NAME=PID[,PID...] ...

COUNT units (handshakes, messages) were done in SECONDS. For each named process:
microseconds of CPU per unit, then where they went: kernel time by
system call, and user time by the first frame (from the leaf up) that belongs to a known
component, so a dictionary lookup made by Kestrel counts as Kestrel's. .NET frames need the
process to run with DOTNET_PerfMapEnabled=1.
"""
import collections
import re
import subprocess
import sys

# First match from the leaf up wins; order from specific to general.
COMPONENTS = [
    ("WsOrleans.Edge.Tunneling", "edge: tunnel"),
    ("WsOrleans.Edge.Transport", "edge: socket transport"),
    ("WsOrleans.Edge.BackendClient", "edge: upgrade client"),
    ("WsOrleans.Edge.Observability", "edge: metrics"),
    ("WsOrleans.Edge", "edge: proxy, admission, connections"),
    ("[WsOrleans.Grains", "grains"),
    ("[Yarp.", "YARP forwarder"),
    ("[System.Net.Http]", "YARP forwarder"),
    ("[Microsoft.AspNetCore.Server.Kestrel", "Kestrel"),
    ("[System.IO.Pipelines]", "Kestrel"),
    ("[Microsoft.AspNetCore", "Kestrel"),
    ("[Orleans", "Orleans"),
    ("[OpenTelemetry", "edge: metrics"),
    ("[System.Diagnostics.DiagnosticSource]", "edge: metrics"),
    ("[Microsoft.Extensions.Logging", "logging"),
    ("[System.Net.Sockets]", "socket API"),
    ("ThreadPool", "thread pool"),
    ("libcoreclr.so", "runtime (GC, stubs, type checks)"),
    ("libclrjit.so", "JIT"),
]


def samples(data):
    """Yields (pid, frames from the leaf up) for every sample."""
    out = subprocess.run(["perf", "script", "-i", data, "-F", "pid,ip,sym,dso"],
                         capture_output=True, text=True, check=True).stdout
    pid, frames = None, []
    for line in out.splitlines():
        if not line.strip():
            continue
        if line.startswith("\t"):
            frames.append(line.strip())
            continue
        if pid is not None:
            yield pid, frames
        pid, frames = line.split()[0], []
    if pid is not None:
        yield pid, frames


def classify(frames):
    leaf = frames[0] if frames else ""
    if "[kernel" in leaf:
        for frame in frames:
            call = re.search(r"__x64_sys_(\w+)", frame)
            if call:
                return "kernel", call.group(1)
        return "kernel", "interrupts, scheduling"
    for frame in frames:
        for pattern, name in COMPONENTS:
            if pattern in frame:
                return "user", name
        if "[unknown] ([unknown])" in frame or "doublemapper" in frame:
            return "user", "code without symbols (nginx; .NET without DOTNET_PerfMapEnabled=1)"
    return "user", "other (libc, stubs)"


def main():
    data, count, unit = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    seconds, hz = float(sys.argv[4]), float(sys.argv[5])
    processes = {}
    for arg in sys.argv[6:]:
        name, pids = arg.split("=", 1)
        for pid in pids.split(","):
            processes[pid] = name

    per_name = collections.defaultdict(collections.Counter)
    for pid, frames in samples(data):
        if pid in processes:
            per_name[processes[pid]][classify(frames)] += 1

    us_per_sample = 1e6 / hz / count
    print(f"{count:,.0f} {unit}s in {seconds:.0f} s ({count / seconds:,.0f}/s)")
    for name, counts in per_name.items():
        total = sum(counts.values())
        kernel = sum(v for (kind, _), v in counts.items() if kind == "kernel")
        print(f"\n{name}: {total * us_per_sample:.0f} µs of CPU per {unit} "
              f"(kernel {kernel * us_per_sample:.0f}, user {(total - kernel) * us_per_sample:.0f})")
        for (kind, what), v in counts.most_common():
            if v * us_per_sample >= 1:
                print(f"  {v * us_per_sample:6.1f} µs  {kind}: {what}")


if __name__ == "__main__":
    main()
