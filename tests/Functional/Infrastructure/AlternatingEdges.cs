using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections.Client;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// Sends each HTTP request and each WebSocket connect of one SignalR .NET client to the next of several
/// edges in turn, as an L4 round robin in front of them would: negotiate goes to one edge and the
/// transport to the other, so a session holds only if every edge routes it to the same backend.
/// Cookies stay in the client's one container, which matches them by host, not port.
/// </summary>
internal sealed class AlternatingEdges(IReadOnlyList<Uri> edges)
{
    private int _next;

    /// <summary>How many requests and connects each edge's port was sent.</summary>
    public Dictionary<int, int> SentTo { get; } = [];

    public void Apply(HttpConnectionOptions options)
    {
        options.HttpMessageHandlerFactory = inner => new Handler(inner, this);
        options.WebSocketFactory = async (context, cancellationToken) =>
        {
            var socket = new ClientWebSocket();
            socket.Options.Cookies = context.Options.Cookies;
            await socket.ConnectAsync(Next(context.Uri), cancellationToken);
            return socket;
        };
    }

    private Uri Next(Uri uri)
    {
        var edge = edges[Interlocked.Increment(ref _next) % edges.Count];
        lock (SentTo)
        {
            SentTo[edge.Port] = SentTo.GetValueOrDefault(edge.Port) + 1;
        }

        return new UriBuilder(uri) { Port = edge.Port }.Uri;
    }

    private sealed class Handler(HttpMessageHandler inner, AlternatingEdges edges) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = edges.Next(request.RequestUri!);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
