using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WsOrleans.Cli.Management;

/// <summary>
/// Sends one request to the management listener of <see cref="EdgeTarget"/> (routes in docs/admin-api.md) and
/// turns a failure to get any answer into a <see cref="CommandFailedException"/> that says which URL and why.
/// </summary>
internal sealed class ManagementClient(EdgeTarget target, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = new(Handler(target.Trust)) { Timeout = Timeout.InfiniteTimeSpan };

    public EdgeTarget Target => target;

    public Task<ManagementAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>Sends <paramref name="body"/> as application/json (none when null), with the API key when there is one.</summary>
    public async Task<ManagementAnswer> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(target.BaseAddress, path));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        if (target.ApiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.ApiKey);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, deadline.Token);
            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            return new ManagementAnswer(response.StatusCode, response.ReasonPhrase ?? "", response.Content.Headers.ContentType?.MediaType, text, TryParse(text));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable($"no answer within {timeout.TotalSeconds:0.#} s (--timeout)");
        }
        catch (HttpRequestException exception) when (TlsFailure(exception) is { } reason)
        {
            throw new CommandFailedException(ExitCodes.Unreachable, $"the edge's management listener at {target.Url} ({target.Source}) is not trusted: {reason}.");
        }
        catch (HttpRequestException exception)
        {
            throw Unreachable(Reason(exception));
        }
    }

    public void Dispose() => _http.Dispose();

    private static SocketsHttpHandler Handler(ListenerTrust? trust)
    {
        var handler = new SocketsHttpHandler();
        if (trust is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = trust.Callback;
        }

        return handler;
    }

    /// <summary>Encodes one path segment (a pool name or backend id) so it cannot change the route.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    private CommandFailedException Unreachable(string reason) => new(
        ExitCodes.Unreachable,
        $"cannot reach the edge's management listener at {target.Url} ({target.Source}): {reason}. "
        + $"Is an edge running there? Point --edge or {EdgeTarget.EdgeVariable} at its WsOrleans:Management:Urls.");

    /// <summary>Why the listener's certificate was refused, or null when the failure was not about TLS trust.</summary>
    private string? TlsFailure(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return target.Trust is { } trust
                    ? $"its certificate does not chain to a CA of {trust.Description}, or does not name the host"
                    : $"its certificate is not trusted by this machine; pass the CA that signed it with --ca-file (or {EdgeTarget.CaFileVariable}), or --insecure";
            }
        }

        return null;
    }

    private static string Reason(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                    _ => socket.Message.TrimEnd('.'),
                };
            }
        }

        return exception.Message.TrimEnd('.');
    }

    private static JsonElement? TryParse(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
