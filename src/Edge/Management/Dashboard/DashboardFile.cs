using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace WsOrleans.Edge.Management.Dashboard;

/// <summary>
/// One file of the dashboard, read once from this assembly's embedded resources and answered from
/// memory: with its content type, <c>Cache-Control: no-cache</c> and an ETag (so a browser revalidates
/// and gets a <c>304</c> after an upgrade changed nothing), and headers that keep other sites from
/// framing the page or running anything in it but its own script.
/// </summary>
internal sealed class DashboardFile
{
    /// <summary>Only the page's own script, style and calls; no framing (a framed drain button could be clickjacked).</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly byte[] _content;
    private readonly EntityTagHeaderValue _etag;

    private DashboardFile(string path, string contentType, byte[] content)
    {
        Path = path;
        ContentType = contentType;
        _content = content;
        _etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 8))}\"");
    }

    /// <summary>The route it is served at.</summary>
    public string Path { get; }

    public string ContentType { get; }

    /// <summary>Reads the embedded resource <c>WsOrleans.Edge.Dashboard.{fileName}</c> (see the project file).</summary>
    public static DashboardFile Load(string path, string fileName, string contentType)
    {
        var name = $"WsOrleans.Edge.Dashboard.{fileName}";
        using var stream = typeof(DashboardFile).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource '{name}' is missing from {typeof(DashboardFile).Assembly.GetName().Name}; the project file embeds Management/Dashboard/*.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new DashboardFile(path, contentType, copy.ToArray());
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
}
