#!/usr/bin/env python3
"""Prints bench/run.sh's results as one table, each number also as a ratio to nginx's.

With several runs (RUNS=3 bench/run.sh) each number is the median of the runs, and the
ratios to nginx each run gave are listed under the table, to show how much they move.
"""
import glob
import json
import os
import statistics
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


def median_row(rows):
    """Each metric's median over the runs that measured it."""
    merged = {}
    for key in rows[0]:
        values = [r[key] for r in rows if r[key] is not None]
        merged[key] = statistics.median(values) if values else None
    merged["errors"] = sum(r["errors"] for r in rows)
    return merged


def main():
    work, only = sys.argv[1], sys.argv[2].split(",")
    runs = sorted(glob.glob(os.path.join(work, "run-*"))) or [work]
    per_run = [{t: row(run, t) for t in only + ["nginx"]} for run in runs]
    rows = {t: median_row([r[t] for r in per_run]) for t in only}
    base = median_row([r["nginx"] for r in per_run])
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
    if len(runs) > 1:
        lines.append("")
        lines.append(f"Medians of {len(runs)} runs. Ratios to nginx in each run (messages/s, p99, handshakes/s):")
        for target in only:
            if target == "nginx":
                continue
            each = ", ".join(
                f"{ratio(r[target]['msgs'], r['nginx']['msgs'])} / {ratio(r[target]['p99'], r['nginx']['p99'])} / {ratio(r[target]['hs'], r['nginx']['hs'])}"
                for r in per_run)
            lines.append(f"- {LABELS.get(target, target)}: {each}")
    table = "\n".join(lines)
    print(table)
    errors = {t: r["errors"] for t, r in rows.items() if r["errors"]}
    if errors:
        print(f"\nerrors (see {work}/*.log): {errors}")
    with open(os.path.join(work, "table.md"), "w") as f:
        f.write(table + "\n")


if __name__ == "__main__":
    main()
