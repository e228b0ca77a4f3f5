namespace WsOrleans.Rebalancing;

/// <summary>
/// The arithmetic of moving live connections: each routable backend's fair share, how many of its
/// connections a rebalancing tick closes (never more than the pool's rate, never below its share), how
/// many a draining backend closes so it is empty by its deadline, and which edge closes how many (in
/// proportion to what each holds). Pure: the routing grain supplies counts and the clock.
/// </summary>
internal static class RebalancePlanner
{
    /// <summary>
    /// Every routable backend's share of the routable backends' live connections, by weight. During a round,
    /// clients closed a moment ago are still on their way back: <paramref name="atLeast"/> (the most the round
    /// has seen) keeps them in the total, so shares are not underestimated and nothing is closed twice.
    /// </summary>
    public static IReadOnlyList<BackendShare> Shares(IEnumerable<PlannedBackend> backends, long atLeast = 0)
    {
        var routable = backends.Where(b => b.Routable).ToList();
        var total = Math.Max(atLeast, routable.Sum(b => b.Live));
        var weights = routable.Sum(b => b.WeightPermille);
        return
        [
            .. routable.Select(b =>
            {
                var share = weights == 0 ? 0 : (double)total * b.WeightPermille / weights;
                return new BackendShare(b.Id, b.Live, share, Math.Max(0, b.Live - (long)Math.Ceiling(share)));
            }),
        ];
    }

    /// <summary>How many of each backend's excess connections to close now: at most <paramref name="budget"/> in all, in proportion to the excess.</summary>
    public static IReadOnlyList<(string BackendId, int Count)> RebalanceCloses(IReadOnlyList<BackendShare> shares, int budget) =>
        Allocate(Math.Min(budget, shares.Sum(s => s.Excess)), [.. shares.Where(s => s.Excess > 0).Select(s => (s.Id, s.Excess, s.Excess))]);

    /// <summary>
    /// How many of a draining backend's <paramref name="live"/> connections to close in this tick of
    /// <paramref name="tick"/> so that the rest are spread evenly up to <paramref name="closeBy"/>; all of
    /// them once the deadline is reached.
    /// </summary>
    public static int DrainCloses(long live, DateTimeOffset closeBy, DateTimeOffset now, TimeSpan tick)
    {
        if (live <= 0)
        {
            return 0;
        }

        var ticksLeft = Math.Max(1, (long)Math.Ceiling((closeBy - now) / tick));
        return (int)Math.Min(int.MaxValue, (live + ticksLeft - 1) / ticksLeft);
    }

    /// <summary>Splits <paramref name="count"/> closes of a backend over the edges that hold its connections, in proportion to what each holds.</summary>
    public static IEnumerable<EdgeCloses> ForEdges(string backendId, int count, IReadOnlyDictionary<string, long> liveByEdge) =>
        Allocate(count, [.. liveByEdge.Where(e => e.Value > 0).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value, e.Value))])
            .Where(a => a.Count > 0)
            .Select(a => new EdgeCloses(a.Id, backendId, a.Count));

    /// <summary>
    /// Largest-remainder apportionment of <paramref name="total"/> over items by weight, no item above its
    /// cap; what caps leave over goes to the others. Deterministic: ties go to the earlier item.
    /// </summary>
    internal static IReadOnlyList<(string Id, int Count)> Allocate(long total, IReadOnlyList<(string Id, long Weight, long Cap)> items)
    {
        var counts = new long[items.Count];
        var left = Math.Min(total, items.Sum(i => i.Cap));
        while (left > 0)
        {
            var open = Enumerable.Range(0, items.Count).Where(i => counts[i] < items[i].Cap).ToList();
            var weight = open.Sum(i => (double)items[i].Weight);
            var given = 0L;
            var remainders = new List<(int Index, double Remainder)>();
            foreach (var i in open)
            {
                var exact = weight == 0 ? (double)left / open.Count : left * items[i].Weight / weight;
                var whole = Math.Min((long)Math.Floor(exact), items[i].Cap - counts[i]);
                counts[i] += whole;
                given += whole;
                remainders.Add((i, exact - Math.Floor(exact)));
            }

            left -= given;
            foreach (var (i, _) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Index))
            {
                if (left == 0)
                {
                    break;
                }

                if (counts[i] < items[i].Cap)
                {
                    counts[i]++;
                    left--;
                }
            }
        }

        return [.. items.Select((item, i) => (item.Id, (int)counts[i]))];
    }
}
