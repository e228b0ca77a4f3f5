using System.Collections.Immutable;

namespace WsOrleans;

/// <summary>
/// Sends items one-way, together when they come fast: an item is sent at once when the last send is at least
/// <c>interval</c> old, otherwise with everything else that came meanwhile once that much has passed. A quiet
/// sender's items wait for nothing; a busy one sends at most one message per interval, however many items.
/// Thread-safe.
/// </summary>
public sealed class Coalescer<T>(Action<ImmutableArray<T>> send, TimeSpan interval, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<T> _pending = [];
    private long _lastSent = long.MinValue;
    private ITimer? _timer;

    public void Add(T item)
    {
        ImmutableArray<T> batch;
        lock (_lock)
        {
            _pending.Add(item);
            if (_timer is not null)
            {
                return;
            }

            var since = _lastSent == long.MinValue ? interval : time.GetElapsedTime(_lastSent);
            if (since < interval)
            {
                _timer = time.CreateTimer(static state => ((Coalescer<T>)state!).Flush(), this, interval - since, Timeout.InfiniteTimeSpan);
                return;
            }

            batch = TakePending();
        }

        send(batch);
    }

    private void Flush()
    {
        ImmutableArray<T> batch;
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            batch = TakePending();
        }

        if (!batch.IsEmpty)
        {
            send(batch);
        }
    }

    private ImmutableArray<T> TakePending()
    {
        ImmutableArray<T> batch = [.. _pending];
        _pending.Clear();
        _lastSent = time.GetTimestamp();
        return batch;
    }
}
