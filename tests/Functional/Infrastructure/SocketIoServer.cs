using System.Globalization;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>One socketio-server.js process; it answers "whoami" with its <see cref="Id"/>.</summary>
internal sealed class SocketIoServer : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly ChildProcess _process;

    private SocketIoServer(string id, int port, ChildProcess process)
    {
        Id = id;
        Port = port;
        _process = process;
    }

    public string Id { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string Output => _process.Output;

    public static async Task<SocketIoServer> StartAsync(string id, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var process = NodeHarness.Start("socketio-server.js", ["--id", id, "--port", "0", "--host", "127.0.0.1", "--path", path]);
        try
        {
            var line = await process.WaitForLineAsync("listening ", timeout, cancellationToken);
            return new SocketIoServer(id, int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture), process);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server with SIGTERM, as an orchestrator would, and kills it if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Terminate();
            using var stop = new CancellationTokenSource(StopTimeout);
            await _process.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // it lingered: DisposeAsync below kills it
        }
        finally
        {
            await _process.DisposeAsync();
        }
    }
}
