namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// A process kept running the way systemd's <c>Restart=always</c> keeps it (docs/systemd): when it exits,
/// the exit is recorded with its code and last line, and it is started again a second later.
/// </summary>
internal sealed class SupervisedProcess : IAsyncDisposable
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    private readonly Func<ChildProcess> _start;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ProcessExit> _exits = [];
    private readonly Task _supervising;
    private ChildProcess _current;

    public SupervisedProcess(Func<ChildProcess> start)
    {
        _start = start;
        _current = start();
        _supervising = SuperviseAsync();
    }

    public ChildProcess Current => Volatile.Read(ref _current);

    /// <summary>Every exit so far, oldest first.</summary>
    public IReadOnlyList<ProcessExit> Exits
    {
        get
        {
            lock (_exits)
            {
                return [.. _exits];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _supervising;
        await Current.DisposeAsync();
        _stop.Dispose();
    }

    private async Task SuperviseAsync()
    {
        try
        {
            while (true)
            {
                var process = Current;
                var code = await process.WaitForExitAsync(_stop.Token);
                var lastLine = process.Output.TrimEnd().Split('\n')[^1];
                lock (_exits)
                {
                    _exits.Add(new ProcessExit(DateTime.UtcNow, code, lastLine));
                }

                await process.DisposeAsync();
                await Task.Delay(RestartDelay, _stop.Token);
                Volatile.Write(ref _current, _start());
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}

/// <summary>One exit of a supervised process.</summary>
internal sealed record class ProcessExit(DateTime At, int Code, string LastLine);
