using System.Globalization;

namespace WsOrleans.EchoBackend;

/// <summary>
/// Plain HTTP on any path, so a load balancer's HTTP forwarding can be seen end to end. Every answer names
/// the server in <c>X-Backend</c>. A path ending in <c>/events</c> streams Server-Sent Events, one flushed
/// event per <c>interval</c> milliseconds, <c>count</c> of them; a path ending in <c>/hold</c> answers after
/// <c>ms</c> milliseconds, as a long poll does; a request with a body gets the body back; any other request
/// gets the JSON report of what arrived (path, query, headers).
/// </summary>
internal sealed class EchoHttpHandler(EchoServerState state)
{
    private static readonly TimeSpan LongestHold = TimeSpan.FromMinutes(10);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers["X-Backend"] = state.Id;
        using var inFlight = state.OpenRequest();
        var path = request.Path.Value ?? "/";
        if (HttpMethods.IsGet(request.Method) && path.EndsWith("/events", StringComparison.Ordinal))
        {
            await StreamEventsAsync(context);
        }
        else if (HttpMethods.IsGet(request.Method) && path.EndsWith("/hold", StringComparison.Ordinal))
        {
            var hold = TimeSpan.FromMilliseconds(Number(request, "ms", 1000, (int)LongestHold.TotalMilliseconds));
            await Task.Delay(hold, context.RequestAborted);
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"{state.Id} held the request for {hold.TotalMilliseconds:0} ms\n", context.RequestAborted);
        }
        else if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            response.ContentType = request.ContentType ?? "application/octet-stream";
            await request.Body.CopyToAsync(response.Body, context.RequestAborted);
        }
        else
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.Body.WriteAsync(EchoJson.Handshake(state.Id, request, subProtocol: null), context.RequestAborted);
        }
    }

    private async Task StreamEventsAsync(HttpContext context)
    {
        var count = Number(context.Request, "count", 3, 10_000);
        var interval = TimeSpan.FromMilliseconds(Number(context.Request, "interval", 1000, 60_000));
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        for (var i = 1; i <= count; i++)
        {
            if (i > 1)
            {
                await Task.Delay(interval, context.RequestAborted);
            }

            await response.WriteAsync($"id: {i}\ndata: {state.Id} {i}\n\n", context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static int Number(HttpRequest request, string name, int fallback, int max) =>
        int.TryParse(request.Query[name], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? Math.Min(value, max) : fallback;
}
