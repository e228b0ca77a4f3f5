#!/usr/bin/env python3
"""Prints bench/run.sh's results as one table, each number also as a ratio to nginx's, and the
TLS targets (named *-tls) in a second table, as ratios to nginx-tls's, with what each
proxy's CPU spent per message and per handshake (the steadier numbers on a shared machine).

With several runs (RUNS=3 bench/run.sh) each number is the median of the runs, and the
ratios to the baseline each run gave are listed under the table, to show how much they move.
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
    "edge-managed": "WsOrleans edge, managed tunnels",
    "edges2": "2 WsOrleans edges + silo",
    "edges2-2silos": "2 WsOrleans edges + 2 silos",
    "nginx-tls": "nginx, TLS",
    "haproxy-tls": "HAProxy, TLS",
    "edge-tls": "WsOrleans edge (Embedded), TLS",
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
        "cpu_msg": per_unit(echo.get("targetCpuSeconds"), echo.get("messages")),
        "cpu_hs": per_unit(handshakes.get("targetCpuSeconds"), handshakes.get("handshakes")),
        "client_hs": per_unit(handshakes.get("clientCpuSeconds"), handshakes.get("handshakes")),
        "errors": (echo.get("errors") or 0) + (echo.get("connectErrors") or 0) + (handshakes.get("errors") or 0),
    }


def per_unit(seconds, count):
    """Microseconds of CPU per message or handshake."""
    return seconds * 1e6 / count if seconds is not None and count else None


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


def table(per_run, targets, base_name):
    """The table of these targets, medians over the runs, with ratios to base_name's row."""
    rows = {t: median_row([r[t] for r in per_run]) for t in targets}
    base = median_row([r[base_name] for r in per_run])
    versus = "vs nginx" if base_name == "nginx" else f"vs {base_name}"
    lines = [
        f"| target | messages/s | {versus} | RTT p50 µs | RTT p99 µs | p99 {versus} | handshakes/s | {versus} | KB per idle connection | {versus} | marginal KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target, r in rows.items():
        lines.append(
            f"| {LABELS.get(target, target)} | {fmt(r['msgs'])} | {ratio(r['msgs'], base['msgs'])} "
            f"| {fmt(r['p50'])} | {fmt(r['p99'])} | {ratio(r['p99'], base['p99'])} "
            f"| {fmt(r['hs'])} | {ratio(r['hs'], base['hs'])} "
            f"| {fmt(r['mem'], 'KB')} | {ratio(r['mem'], base['mem'])} | {fmt(r['marginal'], 'KB')} |"
        )
    if len(per_run) > 1:
        lines.append("")
        lines.append(f"Medians of {len(per_run)} runs. Ratios to {base_name} in each run (messages/s, p99, handshakes/s):")
        for target in targets:
            if target == base_name:
                continue
            each = ", ".join(
                f"{ratio(r[target]['msgs'], r[base_name]['msgs'])} / {ratio(r[target]['p99'], r[base_name]['p99'])} / {ratio(r[target]['hs'], r[base_name]['hs'])}"
                for r in per_run)
            lines.append(f"- {LABELS.get(target, target)}: {each}")
    return lines, rows


def cpu_table(rows, base_name):
    """CPU per message and per handshake: each proxy's (all its processes), and the load generator's."""
    base = rows[base_name] if base_name in rows else {}
    lines = [
        f"| target | proxy CPU µs per message | vs {base_name} | proxy CPU µs per handshake | vs {base_name} | load generator CPU µs per handshake |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target, r in rows.items():
        lines.append(
            f"| {LABELS.get(target, target)} | {fmt(r['cpu_msg'])} | {ratio(r['cpu_msg'], base.get('cpu_msg'))} "
            f"| {fmt(r['cpu_hs'])} | {ratio(r['cpu_hs'], base.get('cpu_hs'))} | {fmt(r['client_hs'])} |"
        )
    return lines


def negotiated(runs, targets):
    """What each TLS target negotiated with the load generator, as its echo run reported it."""
    seen = {t: {load(run, t, "echo").get("tls") for run in runs} - {None} for t in targets}
    return "Negotiated: " + "; ".join(f"{t} {', '.join(sorted(v)) or '—'}" for t, v in seen.items())


def main():
    work, only = sys.argv[1], sys.argv[2].split(",")
    runs = sorted(glob.glob(os.path.join(work, "run-*"))) or [work]
    plain = [t for t in only if not t.endswith("-tls")]
    tls = [t for t in only if t.endswith("-tls")]
    per_run = [{t: row(run, t) for t in only + ["nginx", "nginx-tls"]} for run in runs]
    lines, rows = [], {}
    if plain:
        plain_lines, plain_rows = table(per_run, plain, "nginx")
        lines += plain_lines + [""] + cpu_table(plain_rows, "nginx")
        rows.update(plain_rows)
    if tls:
        tls_lines, tls_rows = table(per_run, tls, "nginx-tls")
        lines += ([""] if lines else []) + tls_lines + [""] + cpu_table(tls_rows, "nginx-tls") + ["", negotiated(runs, tls)]
        rows.update(tls_rows)
    table_text = "\n".join(lines)
    print(table_text)
    errors = {t: r["errors"] for t, r in rows.items() if r["errors"]}
    if errors:
        print(f"\nerrors (see {work}/*.log): {errors}")
    with open(os.path.join(work, "table.md"), "w") as f:
        f.write(table_text + "\n")


if __name__ == "__main__":
    main()
