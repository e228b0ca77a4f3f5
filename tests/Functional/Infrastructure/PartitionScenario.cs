using System.Diagnostics;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// One partition scenario on a <see cref="PartitionBed"/>: 300 long-lived clients and handshake churn through
/// both edges, a cut held for <see cref="CutFor"/>, the heal, then the wait until the cluster counts exactly
/// the connections the backends hold. What a client saw and what the cluster counted is in the outcome.
/// </summary>
internal static class PartitionScenario
{
    /// <summary>How long a cut lasts: well past the ~14 s Orleans takes to declare a silent silo dead.</summary>
    public static readonly TimeSpan CutFor = TimeSpan.FromSeconds(40);

    public const int Holders = 300;

    private const int HandshakersPerEdge = 4;

    // Together more than the cap: the capped backend stays full, and each freed slot is contested by both edges.
    private const int CappedClientsPerEdge = PartitionBed.Cap * 3 / 4;

    public static async Task<PartitionOutcome> RunAsync(PartitionBed bed, BedEdge observer, Func<Task> cut, Func<Task> heal, Action<string> log)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await bed.WaitHealthyAsync(TimeSpan.FromSeconds(120));
        var exitsBefore = bed.Exits().Count();
        await using var load = await PartitionLoad.StartAsync(bed.Edges, Holders, timeout.Token);
        await UntilCountsExactAsync(bed, observer, TimeSpan.FromSeconds(30));
        bed.Capped.ResetPeak();
        load.StartChurn(HandshakersPerEdge, CappedClientsPerEdge);
        await Eventually.Until(() => Task.FromResult(load.Handshakes.Count(h => h.Error is null)), n => n >= 20, "the churn to complete 20 handshakes before the cut");

        var cutAt = DateTime.UtcNow;
        await cut();
        log($"cut at {cutAt:HH:mm:ss.f}");
        var counted = new List<long>();
        var readsWhileRebuilding = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < CutFor)
        {
            // The cut's length is the scenario's input; meanwhile, what the cluster counts of pool live.
            var status = await PartitionBed.TryStatusAsync(observer);
            if (status?.Pools.SingleOrDefault(p => p.Name == "live") is { } live)
            {
                counted.Add(live.Backends.Sum(b => b.Connections));
                readsWhileRebuilding += live.Backends.Any(b => b.CountsRebuilding) ? 1 : 0;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        await heal();
        var healedAt = DateTime.UtcNow;
        log($"healed at {healedAt:HH:mm:ss.f}");
        await load.StopChurnAsync();
        var exactAfter = await UntilCountsExactAsync(bed, observer, TimeSpan.FromSeconds(90));
        await bed.WaitHealthyAsync(TimeSpan.FromSeconds(120));

        var handshakes = load.Handshakes;
        var during = handshakes.Where(h => h.At >= cutAt).ToList();
        var outcome = new PartitionOutcome(
            HandshakesDuring: during.Count,
            FailedDuring: [.. during.Where(h => h.Error is not null)],
            SlowestDuring: during.Count == 0 ? TimeSpan.Zero : during.Max(h => h.Took),
            ByEdgeDuring: during.Where(h => h.Error is null).GroupBy(h => h.Edge).ToDictionary(g => g.Key, g => g.Count()),
            Lost: load.Lost,
            CountedDuringCut: counted,
            ReadsWhileRebuilding: readsWhileRebuilding,
            ExactAfterHeal: exactAfter,
            CappedPeak: bed.Capped.PeakConnections,
            CappedHeld: load.CappedHeld,
            Exits: [.. bed.Exits().Skip(exitsBefore)]);
        log(outcome.ToString());
        return outcome;
    }

    /// <summary>Waits until, for each backend of pools live and brief, the cluster counts what the backend holds; returns how long it took.</summary>
    private static async Task<TimeSpan> UntilCountsExactAsync(PartitionBed bed, BedEdge observer, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await Eventually.Until(
            () => PartitionBed.TryStatusAsync(observer),
            status => status is not null && bed.Backends.All(backend => Counted(status, backend.Id) == backend.OpenConnections),
            () => $"the cluster to count what backends a, b, c hold ({string.Join(", ", bed.Backends.Select(b => $"{b.Id} {b.OpenConnections}"))})",
            timeout);
        return clock.Elapsed;
    }

    private static long Counted(StatusView status, string backend) =>
        status.Pools.Where(p => p.Name is "live" or "brief").SelectMany(p => p.Backends).Where(b => b.Id == backend).Sum(b => b.Connections);
}

/// <summary>What one partition scenario measured.</summary>
internal sealed record class PartitionOutcome(
    int HandshakesDuring,
    IReadOnlyList<Handshake> FailedDuring,
    TimeSpan SlowestDuring,
    IReadOnlyDictionary<string, int> ByEdgeDuring,
    IReadOnlyList<string> Lost,
    IReadOnlyList<long> CountedDuringCut,
    int ReadsWhileRebuilding,
    TimeSpan ExactAfterHeal,
    int CappedPeak,
    int CappedHeld,
    IReadOnlyList<string> Exits)
{
    public override string ToString() =>
        $"handshakes from the cut on: {HandshakesDuring} ({string.Join(", ", ByEdgeDuring.OrderBy(e => e.Key).Select(e => $"{e.Key} {e.Value} ok"))}), " +
        $"failed {FailedDuring.Count}{(FailedDuring.Count == 0 ? "" : $" [{string.Join("; ", FailedDuring.Take(5).Select(f => $"{f.At:HH:mm:ss.f} {f.Edge} {f.Error}"))}]")}, " +
        $"slowest {SlowestDuring.TotalSeconds:0.0} s; tunnels lost {Lost.Count}{(Lost.Count == 0 ? "" : $" [{string.Join("; ", Lost.Take(5))}]")}; " +
        $"cluster counted of {PartitionScenario.Holders} open during the cut: min {(CountedDuringCut.Count == 0 ? "-" : CountedDuringCut.Min())}, max {(CountedDuringCut.Count == 0 ? "-" : CountedDuringCut.Max())} ({CountedDuringCut.Count} reads, {ReadsWhileRebuilding} of them with counts being rebuilt); " +
        $"counts exact {ExactAfterHeal.TotalSeconds:0.0} s after the heal; capped backend peak {CappedPeak} of {PartitionBed.Cap} ({CappedHeld} taken); " +
        $"process exits {Exits.Count} [{string.Join("; ", Exits)}]";
}
