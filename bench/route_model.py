#!/usr/bin/env python3
"""How far one pool's routing goes beyond this machine: a model fed with bench/route.sh's measurements.

    bench/route_model.py /tmp/wsorleans-bench/route.jsonl            # the default: up to 20 silos x 8 cores
    bench/route_model.py route.jsonl --silos 20 --cores 8

Two parts (bench/ROUTING.md says what they predict and where they stop being right):

1. Decisions per second, as the lower of two ceilings. The activations that decide: one routing activation can
   take at most 1 / (its busy time per decision) decisions a second, whatever the cores. The CPU: every decision
   costs some CPU per silo, more when its messages cross between silos. Fitted on the co-hosted runs of one and two
   silos (route.jsonl, LeastConnections at its highest concurrency), checked on the two-silo loopback run, which
   the fit did not see.
   Edges that route by themselves (the default since the fifth session) make no grain call per decision: their
   ceiling is the CPU (the edges' and the silos', fitted on the edge runs) and the backend grains, each one
   activation counting its backend's admissions and releases (at least the flood's decisions/s per backend).
2. Balance, by simulation: R deciders (one routing activation, one router per silo, or every edge) pick the least
   loaded backend on counts that reach them late (a decider sees its own picks at once, the others' picks and every
   release only with the next view, `staleness` later). Edges count their own picks as 1 / share each (share: their
   part of the pool's admissions, AdmissionShare.cs); without that every decider fills the whole gap it sees.
   Prints the widest spread between backends, against the bound of issue #12, max(2, 2 % of the mean).
"""
import argparse
import json
import random
import sys

# Messages per decision that cross between silos when their two ends are on different silos, in each design. One
# activation: the Route request and its answer (when the caller's gateway is not the pool grain's silo), the one-way
# reservation to the backend grain, and the edge's release to it (backend grains are spread over the silos). Router
# per silo: the Route call stays on the caller's gateway; the router's TryReserve and its answer, and the release, go
# to the backend grain. Count pushes are coalesced (at most one per backend per 5 ms) and left out of both.
REMOTE_MESSAGES = {"one activation": 4, "router per silo": 3}


def load_runs(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def pick(runs, mode, silos, routing="pool"):
    """The LeastConnections run of this mode, silo count and routing at its highest concurrency."""
    matching = [r for r in runs if r["mode"] == mode and r.get("silos", 1) == silos and r["strategy"] == "LeastConnections"
                and r.get("routing", "pool") == routing and r.get("decisionsPerSecond")]
    if not matching:
        sys.exit(f"route_model: no LeastConnections {mode} {routing} run with {silos} silo(s) in the file; run SILOS=1,2 bench/route.sh")
    return max(matching, key=lambda r: r["concurrency"])


class Costs:
    """Per-decision costs of one design, from its measured runs, in microseconds."""

    def __init__(self, runs, design):
        routing = "pool" if design == "one activation" else "router"
        one, two = pick(runs, "cohosted", 1, routing), pick(runs, "cohosted", 2, routing)
        self.design = design
        self.cpu_local = one["cpuUsPerDecision"]
        # The share of a two-silo decision's messages that cross: half of each kind, with random placement.
        crossing = 0.5 * REMOTE_MESSAGES[design]
        self.per_remote_message = max(0.0, (two["cpuUsPerDecision"] - self.cpu_local) / crossing)
        loop_one = pick(runs, "loopback", 1, routing)
        # The edge-to-gateway hop, shared between the edge and the silo; assumed half on each side.
        self.gateway_silo_side = max(0.0, (loop_one["cpuUsPerDecision"] - self.cpu_local) / 2)
        # A decider's own time per decision: the pool grain's turns, measured; a router's turn is taken to cost as
        # much (it cannot be timed from outside: it is reentrant, its calls overlap).
        baseline_one, baseline_loop = pick(runs, "cohosted", 1), pick(runs, "loopback", 1)
        self.activation = baseline_one["poolGrainUsPerDecision"]
        self.loopback_activation = baseline_loop["poolGrainUsPerDecision"]

    def cpu_per_decision(self, silos, through_gateway, callers_in_process=False):
        """Silo CPU per decision (plus the edge side when the callers share the process, as in the benchmark)."""
        remote = (silos - 1) / silos * REMOTE_MESSAGES[self.design]
        gateway = 0.0
        if through_gateway:
            gateway = 2 * self.gateway_silo_side if callers_in_process else self.gateway_silo_side
        return self.cpu_local + gateway + remote * self.per_remote_message

    def decisions_per_second(self, silos, cores_per_silo, through_gateway, callers_in_process=False):
        activation = self.loopback_activation if through_gateway else self.activation
        deciders = 1 if self.design == "one activation" else silos
        activation_ceiling = deciders * 1e6 / activation
        cpu_ceiling = silos * cores_per_silo * 1e6 / self.cpu_per_decision(silos, through_gateway, callers_in_process)
        return min(activation_ceiling, cpu_ceiling), activation_ceiling, cpu_ceiling


class EdgeCosts:
    """Edges routing by themselves: CPU per decision (edges and silos together) and what one backend grain counts."""

    def __init__(self, runs, backends):
        loop = pick(runs, "loopback", 2, "edge")
        flood = max((r for r in runs if r.get("routing") == "edge" and r.get("decisionsPerSecond") and not r.get("rate")),
                    key=lambda r: r["decisionsPerSecond"])
        self.backends = backends
        self.cpu = loop["cpuUsPerDecision"]
        # In the flood the backend grains were the busiest activations: what each took is a floor on what one can.
        self.per_backend = flood["decisionsPerSecond"] / flood["backends"]

    def decisions_per_second(self, silos, cores_per_silo, edges, edge_cores):
        cpu_ceiling = (silos * cores_per_silo + edges * edge_cores) * 1e6 / self.cpu
        return min(cpu_ceiling, self.per_backend * self.backends)


def simulate_spread(deciders, backends, rate, lifetime, staleness, seconds, seed=12, scale_own=False):
    """Widest gap between the most and least loaded backend (connections held) over `seconds` of steady state.

    Arrivals are spread over the deciders in turn; each picks the least loaded backend by its own estimate (the
    last view plus its own picks since, each counted `deciders` times with `scale_own`, as an edge whose share of the
    arrivals is 1 / deciders counts it), ties broken round robin from after its last pick. Every `staleness` a
    decider's view is replaced by the true counts. Lifetimes are exponential, so departures from a backend holding
    n connections form a Poisson process of rate n / lifetime, simulated in small steps.
    """
    rng = random.Random(seed)
    mean = rate * lifetime / backends
    held = [round(mean)] * backends
    views = [list(held) for _ in range(deciders)]
    own = [[0] * backends for _ in range(deciders)]
    starts = [0] * deciders
    refresh_at = [rng.random() * staleness for _ in range(deciders)]
    step = min(staleness / 4, 1e-4) if staleness > 0 else 1e-4
    arrivals_per_step = rate * step
    widest, t, turn, carry = 0, 0.0, 0, 0.0
    while t < seconds:
        t += step
        for d in range(deciders):
            if t >= refresh_at[d]:
                views[d] = list(held)
                own[d] = [0] * backends
                refresh_at[d] += staleness if staleness > 0 else step
        carry += arrivals_per_step
        arrivals = int(carry)
        carry -= arrivals
        for _ in range(arrivals):
            d = turn
            turn = (turn + 1) % deciders
            view, mine, start = views[d], own[d], starts[d]
            best = start
            weight = deciders if scale_own else 1
            best_load = view[start] + weight * mine[start]
            for k in range(1, backends):
                i = (start + k) % backends
                load = view[i] + weight * mine[i]
                if load < best_load:
                    best, best_load = i, load
            mine[best] += 1
            held[best] += 1
            starts[d] = (best + 1) % backends
        for b in range(backends):
            # Poisson departures with mean held[b] * step / lifetime, by inversion (small means).
            expected = held[b] * step / lifetime
            departures = poisson(rng, expected)
            held[b] = max(0, held[b] - departures)
        widest = max(widest, max(held) - min(held))
    return widest, max(2.0, 0.02 * rate * lifetime / backends)


def poisson(rng, mean):
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean ** 0.5)))
    limit, k, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("jsonl", help="route.jsonl from SILOS=1,2 bench/route.sh (both modes)")
    parser.add_argument("--silos", type=int, default=20)
    parser.add_argument("--cores", type=int, default=8, help="cores per silo")
    parser.add_argument("--backends", type=int, default=100, help="backends in the pool, for the balance simulation")
    parser.add_argument("--lifetime", type=float, default=60.0, help="mean connection lifetime in seconds, for the balance simulation")
    parser.add_argument("--seconds", type=float, default=0.5, help="simulated time per balance run")
    parser.add_argument("--edges", type=int, default=100, help="edges, each deciding by itself")
    parser.add_argument("--edge-cores", type=int, default=4, help="cores per edge")
    args = parser.parse_args()

    runs = load_runs(args.jsonl)
    designs = {design: Costs(runs, design) for design in REMOTE_MESSAGES}
    for design, costs in designs.items():
        print(f"{design} (µs per decision): cpu co-hosted {costs.cpu_local:.2f}, per message between silos "
              f"{costs.per_remote_message:.2f}, edge-to-gateway hop {2 * costs.gateway_silo_side:.2f} (both sides), "
              f"deciding activation {costs.activation:.2f} (through a gateway {costs.loopback_activation:.2f})")

    print("\ncheck against this machine (2 cores, callers in the silos' process; co-hosted runs fitted, loopback predicted):")
    for design, costs in designs.items():
        routing = "pool" if design == "one activation" else "router"
        for mode, gateway in (("cohosted", False), ("loopback", True)):
            for silos in (1, 2):
                measured = pick(runs, mode, silos, routing)
                predicted, _, _ = costs.decisions_per_second(silos, 2 / silos, gateway, callers_in_process=True)
                print(f"  {design:16} {mode:9} {silos} silo(s): predicted {predicted:>9,.0f}/s, measured {measured['decisionsPerSecond']:>9,.0f}/s"
                      f" ({predicted / measured['decisionsPerSecond'] - 1:+.0%})")

    print(f"\none pool, {args.cores} cores per silo, edges on their own machines calling through the gateways:")
    print("  silos   one activation      routers   routers / one activation")
    results = {}
    for silos in sorted({1, 2, 4, 8, args.silos}):
        row = {design: costs.decisions_per_second(silos, args.cores, through_gateway=True)[0] for design, costs in designs.items()}
        results[silos] = row
        print(f"  {silos:5} {row['one activation']:>16,.0f} {row['router per silo']:>12,.0f}   {row['router per silo'] / row['one activation']:.2f}x")
    results = results[args.silos]

    edges = EdgeCosts(runs, args.backends)
    print(f"\nedges routing by themselves: {args.edges} edges of {args.edge_cores} cores, {edges.cpu:.2f} µs of CPU per decision "
          f"(edges and silos, loopback, 2 silos); each backend grain counts at least {edges.per_backend:,.0f} connections/s")
    edge_rate = edges.decisions_per_second(args.silos, args.cores, args.edges, args.edge_cores)
    print(f"  {args.silos} silos: {edge_rate:,.0f} decisions/s ({edge_rate / results['one activation']:.0f}x the one activation), "
          f"ceiling: {'the backend grains' if edge_rate == edges.per_backend * args.backends else 'the CPU'}")

    print(f"\nbalance, {args.backends} backends, connections living {args.lifetime:g} s on average:")
    cases = (("one activation", 1, 0.005, False), ("router per silo", args.silos, 0.005, False), ("router per silo", args.silos, 0.05, False),
             ("edges", args.edges, 0.025, False), ("edges", args.edges, 0.025, True))
    for design, deciders, staleness, scaled in cases:
        rate = min(results.get(design, edge_rate), 200_000)
        widest, bound = simulate_spread(deciders, args.backends, rate, args.lifetime, staleness, args.seconds, scale_own=scaled)
        verdict = "within" if widest <= bound else "OVER"
        how = ", own picks counted 1/share" if scaled else ""
        print(f"  {design:16} ({deciders:>3} deciders, views {staleness * 1000:g} ms late{how}, {rate:,.0f}/s): widest spread {widest}, bound {bound:,.0f}: {verdict}")


if __name__ == "__main__":
    main()
