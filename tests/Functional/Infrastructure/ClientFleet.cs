using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>Many open WebSocket clients, opened a few at a time; disposing aborts them all.</summary>
internal sealed class ClientFleet : IDisposable
{
    private const int Parallel = 25;
    private readonly ConcurrentBag<ClientWebSocket> _sockets = [];

    public IReadOnlyCollection<ClientWebSocket> Sockets => _sockets;

    /// <summary>Opens <paramref name="count"/> connections to <paramref name="uri"/>; every one must succeed.</summary>
    public async Task<IReadOnlyList<ClientWebSocket>> OpenAsync(Uri uri, int count, CancellationToken cancellationToken)
    {
        var opened = new ConcurrentBag<ClientWebSocket>();
        await System.Threading.Tasks.Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken }, async (_, ct) =>
        {
            var socket = await WebSocketClient.ConnectAsync(uri, ct);
            opened.Add(socket);
            _sockets.Add(socket);
        });
        return [.. opened];
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Abort();
            socket.Dispose();
        }
    }
}
