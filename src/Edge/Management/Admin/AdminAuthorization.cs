using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Management.Admin;

/// <summary>
/// Guards the admin routes that change the cluster.
/// <para>
/// With <see cref="ManagementSettings.ApiKey"/> set, a change needs <c>Authorization: Bearer &lt;key&gt;</c>:
/// 401 (with <c>WWW-Authenticate: Bearer</c>) without it, 403 with another key. Keys are compared in
/// constant time, through their SHA-256 so not even the length shows.
/// </para>
/// <para>
/// Without a key the listener is on loopback (start-up refuses anything else), and changes are taken
/// without credentials, but only from what cannot be a browser tricked by a web page: the peer must be
/// loopback, the Host a loopback name or address (no DNS rebinding), and an Origin, if any, the
/// listener's own (no cross-site requests).
/// </para>
/// </summary>
internal sealed class AdminAuthorization(WsOrleansSettings settings) : IEndpointFilter
{
    /// <summary>The challenge a 401 carries.</summary>
    public const string Challenge = "Bearer realm=\"WsOrleans management\"";

    private readonly byte[]? _keyHash = string.IsNullOrEmpty(settings.Management.ApiKey)
        ? null
        : SHA256.HashData(Encoding.UTF8.GetBytes(settings.Management.ApiKey));

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var refusal = _keyHash is null ? CheckKeyless(context.HttpContext) : CheckKey(context.HttpContext, _keyHash);
        return refusal is null ? next(context) : ValueTask.FromResult<object?>(refusal);
    }

    private static IResult? CheckKey(HttpContext context, byte[] keyHash)
    {
        var header = context.Request.Headers.Authorization;
        var value = header.Count == 1 ? header[0] : null;
        const string scheme = "Bearer ";
        if (value is null || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || value.Length == scheme.Length)
        {
            context.Response.Headers[HeaderNames.WWWAuthenticate] = Challenge;
            return AdminProblems.Status(
                StatusCodes.Status401Unauthorized,
                "This route changes the cluster: send Authorization: Bearer <key>, the key set in WsOrleans:Management:ApiKey.");
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(value[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, keyHash)
            ? null
            : AdminProblems.Status(StatusCodes.Status403Forbidden, "The bearer key is not this edge's WsOrleans:Management:ApiKey.");
    }

    private static IResult? CheckKeyless(HttpContext context)
    {
        var request = context.Request;
        var why =
            context.Connection.RemoteIpAddress is not { } peer || !IPAddress.IsLoopback(peer) ? "the client is not on loopback"
            : !IsLoopbackHost(request.Host.Host) ? $"the Host '{request.Host}' is not a loopback name or address"
            : request.Headers.Origin is [{ } origin, ..] && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
                ? $"the request comes from the web origin '{origin}'"
            : null;
        return why is null
            ? null
            : AdminProblems.Status(
                StatusCodes.Status403Forbidden,
                $"Without WsOrleans:Management:ApiKey, changes are taken only from loopback clients that address the listener by a loopback name, and never from a web page; {why}. Set an ApiKey to change the cluster from elsewhere.");
    }

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
