namespace WsOrleans.Edge.Management;

/// <summary>The management listener starts and stops with the edge; it must not hook Ctrl+C or SIGTERM itself.</summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
