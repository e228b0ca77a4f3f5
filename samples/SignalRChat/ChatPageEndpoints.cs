using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace WsOrleans.SignalRChat;

/// <summary>
/// The page at <c>{BasePath}/</c> and its files beside it, served by ASP.NET Core's static files from this
/// assembly's embedded resources (with ETags, <c>Cache-Control: no-cache</c>, and headers that let the page
/// run only its own scripts and talk only to its own origin), and <c>GET /health</c> (also under the base
/// path). The page's URLs are all relative, so it works unchanged behind a proxy that serves it under the
/// same path.
/// </summary>
internal static class ChatPageEndpoints
{
    /// <summary>What the page and <c>{BasePath}/signalr.min.js</c> say when the build had no SignalR client to embed.</summary>
    public const string MissingClientMessage =
        "The SignalR JavaScript client is missing from this build of the chat server. "
        + "Fetch it with `npm ci --prefix samples/SignalRChat/client` (Node.js' npm, from the repository root), then build and start the server again.";

    private const string JavaScriptClient = "signalr.min.js";

    /// <summary>Scripts, styles and connections of the page's own origin; no framing.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The resources <c>WsOrleans.SignalRChat.Page.*</c> (see the project file) as files.</summary>
    private static readonly EmbeddedFileProvider Files = new(typeof(ChatPageEndpoints).Assembly, "WsOrleans.SignalRChat.Page");

    /// <summary>Whether the build embedded <c>@microsoft/signalr</c>'s browser bundle.</summary>
    public static bool HasJavaScriptClient => Files.GetFileInfo(JavaScriptClient).Exists;

    public static WebApplication UseChatPage(this WebApplication app, string basePath)
    {
        // "/chat/" is index.html. "/chat" is redirected there, with a relative Location (static files would write an
        // absolute one with this server's own host, which a client behind a proxy cannot reach): the page's relative
        // URLs ("chat.js", "hub") need the slash.
        var lastSegment = basePath[(basePath.LastIndexOf('/') + 1)..];
        app.Use((context, next) =>
        {
            if (context.Request.Path.Value != basePath)
            {
                return next(context);
            }

            context.Response.Redirect($"{lastSegment}/{context.Request.QueryString}");
            return Task.CompletedTask;
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = Files, RequestPath = basePath });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = Files, RequestPath = basePath, OnPrepareResponse = Protect });
        if (!HasJavaScriptClient)
        {
            app.MapGet($"{basePath}/{JavaScriptClient}", WriteMissingClientAsync);
        }

        app.MapGet("/health", WriteHealthyAsync);
        app.MapGet($"{basePath}/health", WriteHealthyAsync);
        return app;
    }

    private static void Protect(StaticFileResponseContext file)
    {
        var headers = file.Context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
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
