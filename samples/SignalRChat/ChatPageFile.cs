using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace WsOrleans.SignalRChat;

/// <summary>
/// One file of the page, read once from this assembly's embedded resources and answered from memory, with
/// <c>Cache-Control: no-cache</c>, an ETag, and headers that let the page run only its own scripts and talk
/// only to its own origin.
/// </summary>
internal sealed class ChatPageFile
{
    /// <summary>Scripts, styles and connections of the page's own origin; no framing.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly byte[] _content;
    private readonly EntityTagHeaderValue _etag;

    private ChatPageFile(string contentType, byte[] content)
    {
        ContentType = contentType;
        _content = content;
        _etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8))}\"");
    }

    public string ContentType { get; }

    /// <summary>Reads the embedded resource <c>WsOrleans.SignalRChat.Page.{fileName}</c> (see the project file).</summary>
    public static ChatPageFile Load(string fileName, string contentType) =>
        TryLoad(fileName, contentType)
        ?? throw new InvalidOperationException($"The embedded resource '{ResourceName(fileName)}' is missing from {typeof(ChatPageFile).Assembly.GetName().Name}; the project file embeds Page/*.");

    /// <summary>As <see cref="Load"/>, or null when the build did not embed the file.</summary>
    public static ChatPageFile? TryLoad(string fileName, string contentType)
    {
        using var stream = typeof(ChatPageFile).Assembly.GetManifestResourceStream(ResourceName(fileName));
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new ChatPageFile(contentType, copy.ToArray());
    }

    public Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = _etag.ToString();
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";

        if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Compare(_etag, useStrongComparison: false) || tag.Equals(EntityTagHeaderValue.Any)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = ContentType;
        response.ContentLength = _content.Length;
        return response.Body.WriteAsync(_content, context.RequestAborted).AsTask();
    }

    private static string ResourceName(string fileName) => $"WsOrleans.SignalRChat.Page.{fileName}";
}
