using System.Net;
using System.Net.WebSockets;
using WsOrleans.Backends;
using WsOrleans.Dialing;
using WsOrleans.Pools;

namespace WsOrleans.Health;

/// <summary>
/// The active checks: <c>Tcp</c> connects (and completes TLS for <c>wss://</c>), <c>Http</c> GETs the
/// check's path and wants a 2xx, <c>WebSocket</c> makes a real handshake on the pool's path and closes it cleanly.
/// All connect as the edges do (<see cref="BackendDialer"/>, <see cref="BackendCertificates"/>).
/// Each answers in words what it saw; none throws.
/// </summary>
internal static class BackendProbes
{
    public static async Task<HealthCheckResult> RunAsync(string address, BackendProbe probe, TimeProvider time, CancellationToken cancellationToken)
    {
        var check = probe.HealthCheck;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(check.Timeout);
        var (passed, detail) = (false, "");
        try
        {
            var uri = new Uri(address);
            (passed, detail) = check.Mode switch
            {
                HealthCheckMode.Http => await HttpAsync(uri, probe, timeout.Token),
                HealthCheckMode.WebSocket => await WebSocketAsync(uri, probe, timeout.Token),
                _ => await TcpAsync(uri, probe, timeout.Token),
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            detail = $"{Name(check.Mode)}: no answer within {check.Timeout.TotalMilliseconds:0} ms";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            detail = $"{Name(check.Mode)}: {Reason(e)}";
        }

        return new HealthCheckResult(passed, detail, time.GetUtcNow());
    }

    private static async Task<(bool, string)> TcpAsync(Uri address, BackendProbe probe, CancellationToken cancellationToken)
    {
        var timeout = probe.HealthCheck.Timeout;
        using var socket = await BackendDialer.ConnectAsync(address.IdnHost, address.Port, timeout, cancellationToken);
        if (!IsSecure(address))
        {
            return (true, "tcp: connected");
        }

        await using var tls = await BackendDialer.AuthenticateAsync(socket, address.IdnHost, BackendCertificates.Callback(probe.BackendTls), timeout, cancellationToken);
        return (true, "tcp: connected, tls ok");
    }

    private static async Task<(bool, string)> HttpAsync(Uri address, BackendProbe probe, CancellationToken cancellationToken)
    {
        var target = new UriBuilder(address) { Scheme = IsSecure(address) ? Uri.UriSchemeHttps : Uri.UriSchemeHttp, Path = Join(address, probe.HealthCheck.Path) }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, target) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.TryAddWithoutValidation("User-Agent", "WsOrleans-health-check");
        request.Headers.ConnectionClose = true;
        using var response = await ProbeHttpClients.For(probe.BackendTls).SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        return (status is >= 200 and <= 299, $"http: {status}");
    }

    private static async Task<(bool, string)> WebSocketAsync(Uri address, BackendProbe probe, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("User-Agent", "WsOrleans-health-check");
        if (IsSecure(address))
        {
            socket.Options.RemoteCertificateValidationCallback = BackendCertificates.Callback(probe.BackendTls);
        }

        var target = new UriBuilder(address) { Path = Join(address, probe.PoolPath) }.Uri;
        await socket.ConnectAsync(target, cancellationToken);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "health check", cancellationToken);
        return (true, "websocket: handshake and close ok");
    }

    /// <summary>The backend address's own path prefix, then <paramref name="path"/>: as the edge forwards.</summary>
    private static string Join(Uri address, string path) => address.AbsolutePath.TrimEnd('/') + (path.StartsWith('/') ? path : "/" + path);

    private static bool IsSecure(Uri address) => address.Scheme == "wss";

    private static string Name(HealthCheckMode mode) => mode.ToString().ToLowerInvariant();

    private static string Reason(Exception e) =>
        e is WebSocketException { InnerException: { } inner } && e.Message.Contains("Unable to connect", StringComparison.Ordinal)
            ? Reason(inner)
            : e is HttpRequestException { InnerException: { } cause } ? Reason(cause) : e.Message;
}
