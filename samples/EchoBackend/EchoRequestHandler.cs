using System.Net.WebSockets;

namespace WsOrleans.EchoBackend;

/// <summary>
/// The whole HTTP surface: a WebSocket on any path is echoed; <c>GET /health</c> and <c>GET /stats</c>
/// answer; any other request is plain HTTP for <see cref="EchoHttpHandler"/>.
/// </summary>
internal sealed partial class EchoRequestHandler(EchoServerState state, CancellationToken serverStopping, ILogger logger)
{
    private readonly EchoHttpHandler _http = new(state);

    public Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            return EchoAsync(context);
        }

        var request = context.Request;
        var isRead = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        if (isRead && request.Path.Equals("/health", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("ok", context.RequestAborted);
        }

        if (isRead && request.Path.Equals("/stats", StringComparison.OrdinalIgnoreCase))
        {
            var json = EchoJson.Stats(state.Id, state.OpenConnections, state.TotalConnections);
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.Body.WriteAsync(json, context.RequestAborted).AsTask();
        }

        return _http.HandleAsync(context);
    }

    private async Task EchoAsync(HttpContext context)
    {
        if (state.RejectHandshakes)
        {
            Log.HandshakeRejected(logger, context.Request.Path);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"Echo server '{state.Id}' rejects WebSocket handshakes (RejectHandshakes is on).\n", context.RequestAborted);
            return;
        }

        var offered = context.WebSockets.WebSocketRequestedProtocols;
        var subProtocol = offered.Count > 0 ? offered[0] : null;
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = subProtocol,
            // Only takes effect when the client offered permessage-deflate.
            DangerousEnableCompression = true,
        });

        var lease = state.OpenSession();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, serverStopping);
        try
        {
            await new EchoSession(webSocket, context, subProtocol, state, lease, logger).RunAsync(ended.Token);
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            Log.SessionAborted(logger, context.Request.Path, serverStopping.IsCancellationRequested ? "server stopping" : "connection aborted");
        }
        catch (OperationCanceledException)
        {
            Log.SessionAborted(logger, context.Request.Path, "close handshake timed out");
        }
        catch (WebSocketException exception)
        {
            Log.SessionAborted(logger, context.Request.Path, exception.Message);
        }
        finally
        {
            lease.Release();
            if (webSocket.State != WebSocketState.Closed)
            {
                webSocket.Abort();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Refused the WebSocket handshake on {Path}: RejectHandshakes is on")]
        public static partial void HandshakeRejected(ILogger logger, PathString path);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "WebSocket on {Path} ended without a close handshake: {Reason}")]
        public static partial void SessionAborted(ILogger logger, PathString path, string reason);
    }
}
