#!/usr/bin/env python3
"""Prints bench/run.sh's results as one table, each number also as a ratio to nginx's."""
import json
import os
import sys

LABELS = {
    "direct": "direct to the backend",
    "nginx": "nginx (least_conn)",
    "haproxy": "HAProxy (leastconn)",
    "edge": "WsOrleans edge (Embedded)",
    "edges2": "2 WsOrleans edges + silo",
}


def load(work, target, kind):
    try:
        with open(os.path.join(work, f"{target}-{kind}.json")) as f:
            text = f.read().strip().splitlines()
            return json.loads(text[-1]) if text else {}
    except (OSError, ValueError):
        return {}


def row(work, target):
    echo, handshakes, memory = (load(work, target, k) for k in ("echo", "handshakes", "memory"))
    per_connection = marginal = None
    if memory and target != "direct":
        per_connection = (memory["rssAfterKb"] - memory["rssBeforeKb"]) * 1024 / memory["held"]
        second_half = memory["held"] - memory["held"] // 2
        marginal = (memory["rssAfterKb"] - memory["rssMidKb"]) * 1024 / second_half
    return {
        "msgs": echo.get("messagesPerSecond"),
        "p50": echo.get("rttP50Us"),
        "p99": echo.get("rttP99Us"),
        "hs": handshakes.get("handshakesPerSecond"),
        "mem": per_connection,
        "marginal": marginal,
        "errors": (echo.get("errors") or 0) + (echo.get("connectErrors") or 0) + (handshakes.get("errors") or 0),
    }


def fmt(value, unit=""):
    if value is None:
        return "—"
    if unit == "KB":
        return f"{value / 1024:.1f}"
    return f"{value:,.0f}"


def ratio(value, base):
    return f"{value / base:.2f}×" if value is not None and base else "—"


def main():
    work, only = sys.argv[1], sys.argv[2].split(",")
    rows = {t: row(work, t) for t in only}
    base = rows.get("nginx") or row(work, "nginx")
    lines = [
        "| target | messages/s | vs nginx | RTT p50 µs | RTT p99 µs | p99 vs nginx | handshakes/s | vs nginx | KB per idle connection | vs nginx | marginal KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target, r in rows.items():
        lines.append(
            f"| {LABELS.get(target, target)} | {fmt(r['msgs'])} | {ratio(r['msgs'], base['msgs'])} "
            f"| {fmt(r['p50'])} | {fmt(r['p99'])} | {ratio(r['p99'], base['p99'])} "
            f"| {fmt(r['hs'])} | {ratio(r['hs'], base['hs'])} "
            f"| {fmt(r['mem'], 'KB')} | {ratio(r['mem'], base['mem'])} | {fmt(r['marginal'], 'KB')} |"
        )
    table = "\n".join(lines)
    print(table)
    errors = {t: r["errors"] for t, r in rows.items() if r["errors"]}
    if errors:
        print(f"\nerrors (see {work}/*.log): {errors}")
    with open(os.path.join(work, "table.md"), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()
