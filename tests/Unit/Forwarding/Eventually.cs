using System.Collections.Concurrent;

namespace WsOrleans.Tests.Unit.Forwarding;

/// <summary>Waits for what another thread does, with a deadline instead of a fixed sleep.</summary>
internal static class Eventually
{
    public static async Task<T> DequeueAsync<T>(ConcurrentQueue<T> queue, int timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (queue.TryDequeue(out var item))
            {
                return item;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Nothing arrived within {timeoutSeconds} s");
    }

    /// <summary>Waits until <paramref name="probe"/> returns something; fails saying what was <paramref name="expected"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<T?> probe, string expected, int timeoutSeconds = 10)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Expected {expected} within {timeoutSeconds} s");
    }
}
