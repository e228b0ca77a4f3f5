using System.Diagnostics;

namespace WsOrleans.Routing;

/// <summary>
/// One read at a time: a caller while a read is under way gets that read; a caller after it completed starts the next.
/// "Under way" is the stored read not yet completed, never a read that clears itself when done: a grain call can
/// complete before its caller awaits it (the answer came first, on another thread), and such a read would clear itself
/// before it was stored, then stay stored, completed, for good. A read under way for longer than
/// <paramref name="abandonAfter"/> is taken as stuck (its silo cut off, its answer lost until Orleans times the call
/// out): the next caller starts another instead of waiting with it, so routing resumes as soon as the cluster answers
/// again. Thread-safe, for an edge's many handshakes at once; in a grain's turns the lock is never contended.
/// </summary>
internal sealed class SharedRead(Func<Task> read, TimeSpan abandonAfter)
{
    private readonly Lock _lock = new();
    private Task? _current;
    private long _startedAt;

    public Task RunAsync()
    {
        lock (_lock)
        {
            if (_current is not { IsCompleted: false } || Stopwatch.GetElapsedTime(_startedAt) > abandonAfter)
            {
                _startedAt = Stopwatch.GetTimestamp();
                _current = read();
            }

            return _current;
        }
    }
}
