using System.Collections.Concurrent;
using WsOrleans.Bench.Clients;
using WsOrleans.Bench.Reporting;

namespace WsOrleans.Bench.Metrics;

/// <summary>
/// Counts failures by kind. The first failure of each kind is also printed to stderr with its message, so a run
/// that goes wrong says why without flooding the terminal.
/// </summary>
internal sealed class ErrorCounter(string label)
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Add(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Add(ErrorKinds.Of(exception), exception.Message);
    }

    public void Add(string kind, string detail)
    {
        Interlocked.Increment(ref _total);
        if (_counts.TryAdd(kind, 1))
        {
            Progress.Write($"{label}: first {kind}: {detail}");
            return;
        }

        _counts.AddOrUpdate(kind, 1, static (_, count) => count + 1);
    }

    /// <summary>The counts by kind, in name order.</summary>
    public IEnumerable<KeyValuePair<string, long>> ByKind() => _counts.OrderBy(pair => pair.Key, StringComparer.Ordinal);
}
