using System.Collections.Concurrent;
using WsOrleans.Bench.Reporting;

namespace WsOrleans.RouteBench.Running;

/// <summary>Counts failed calls by exception type; the first of each type is printed to stderr with its message.</summary>
internal sealed class ErrorCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Add(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Interlocked.Increment(ref _total);
        var kind = exception.GetType().Name;
        if (_counts.TryAdd(kind, 1))
        {
            Progress.Write($"first {kind}: {exception.Message}");
            return;
        }

        _counts.AddOrUpdate(kind, 1, static (_, count) => count + 1);
    }

    /// <summary>The counts by kind, in name order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> ByKind() => [.. _counts.OrderBy(pair => pair.Key, StringComparer.Ordinal)];
}
