namespace WsOrleans.SignalRChat;

/// <summary>
/// Keeps an embedded chat server from hooking Ctrl+C and SIGTERM: whoever started it decides when it stops.
/// </summary>
internal sealed class NoopHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
