namespace WsOrleans.SignalRChat;

/// <summary>
/// The page at <c>{BasePath}/</c>, its files beside it, and <c>GET /health</c> (also under the base path).
/// The page's URLs are all relative, so it works unchanged behind a proxy that serves it under the same path.
/// </summary>
internal static class ChatPageEndpoints
{
    /// <summary>What the page and <c>{BasePath}/signalr.min.js</c> say when the build had no SignalR client to embed.</summary>
    public const string MissingClientMessage =
        "The SignalR JavaScript client is missing from this build of the chat server. "
        + "Fetch it with `npm ci --prefix samples/SignalRChat/client` (Node.js' npm, from the repository root), then build and start the server again.";

    private static readonly ChatPageFile Page = ChatPageFile.Load("index.html", "text/html; charset=utf-8");

    private static readonly ChatPageFile Script = ChatPageFile.Load("chat.js", "text/javascript; charset=utf-8");

    private static readonly ChatPageFile Style = ChatPageFile.Load("chat.css", "text/css; charset=utf-8");

    /// <summary><c>@microsoft/signalr</c>'s browser bundle, or null when the build had none to embed.</summary>
    private static readonly ChatPageFile? Client = ChatPageFile.TryLoad("signalr.min.js", "text/javascript; charset=utf-8");

    /// <summary>Whether the build embedded <c>@microsoft/signalr</c>'s browser bundle.</summary>
    public static bool HasJavaScriptClient => Client is not null;

    public static IEndpointRouteBuilder MapChatPage(this IEndpointRouteBuilder endpoints, string basePath)
    {
        // Routing matches "/chat" and "/chat/" alike; the page needs the slash so that its relative URLs
        // ("chat.js", "hub") resolve under the base path, so a request without it is redirected.
        var lastSegment = basePath[(basePath.LastIndexOf('/') + 1)..];
        endpoints.MapGet(basePath, context =>
        {
            if (context.Request.Path.Value?.EndsWith('/') == true)
            {
                return Page.WriteAsync(context);
            }

            context.Response.Redirect($"{lastSegment}/{context.Request.QueryString}");
            return Task.CompletedTask;
        });

        endpoints.MapGet($"{basePath}/chat.js", new RequestDelegate(Script.WriteAsync));
        endpoints.MapGet($"{basePath}/chat.css", new RequestDelegate(Style.WriteAsync));
        endpoints.MapGet($"{basePath}/signalr.min.js", Client is null ? new RequestDelegate(WriteMissingClientAsync) : Client.WriteAsync);
        endpoints.MapGet("/health", new RequestDelegate(WriteHealthyAsync));
        endpoints.MapGet($"{basePath}/health", new RequestDelegate(WriteHealthyAsync));
        return endpoints;
    }

    private static Task WriteHealthyAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("ok", context.RequestAborted);
    }

    private static Task WriteMissingClientAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(MissingClientMessage + "\n", context.RequestAborted);
    }
}
