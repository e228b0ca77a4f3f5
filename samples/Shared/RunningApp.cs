namespace WsOrleans.Samples;

/// <summary>A sample server's started application: stopped once however often it is asked, then released.</summary>
internal sealed class RunningApp(WebApplication app) : IAsyncDisposable
{
    private readonly Lock _stopLock = new();
    private Task? _stopping;
    private int _disposed;

    /// <summary>Stops listening and ends open connections; calling it again returns the same stop.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopLock)
        {
            return _stopping ??= app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
