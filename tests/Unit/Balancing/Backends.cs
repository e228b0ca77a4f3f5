using WsOrleans.Balancing;

namespace WsOrleans.Tests.Unit.Balancing;

/// <summary>Builds candidate lists and records pick sequences, so tests read as the scenario.</summary>
internal static class Backends
{
    public static BackendEntry[] Named(params string[] ids) => [.. ids.Select(id => new BackendEntry(id))];

    public static BackendEntry[] Weighted(params (string Id, int Weight)[] backends) =>
        [.. backends.Select(b => new BackendEntry(b.Id) { Weight = b.Weight })];

    /// <summary>The ids of <paramref name="picks"/> successive picks, joined with spaces.</summary>
    public static string Sequence(IBalancingStrategy strategy, IReadOnlyList<BackendEntry> candidates, int picks, string? key = null) =>
        string.Join(" ", Enumerable.Range(0, picks).Select(_ => strategy.Pick(key, candidates).Id));

    /// <summary>Bytes allocated on this thread while <paramref name="action"/> runs <paramref name="times"/> times, after a warm-up.</summary>
    public static long AllocatedBy(Action action, int times = 1000)
    {
        for (var i = 0; i < 100; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < times; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
