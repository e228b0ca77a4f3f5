using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using WsOrleans.Backends;
using WsOrleans.Pools;

namespace WsOrleans.Health;

/// <summary>
/// The active checks: <c>Tcp</c> connects (and completes TLS for <c>wss://</c>), <c>Http</c> GETs the
/// check's path and wants a 2xx, <c>WebSocket</c> makes a real handshake on the pool's path and closes it cleanly.
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
        await using var stream = await ProbeConnection.OpenAsync(address, probe.BackendTls, cancellationToken);
        return (true, ProbeConnection.IsSecure(address) ? "tcp: connected, tls ok" : "tcp: connected");
    }

    private static async Task<(bool, string)> HttpAsync(Uri address, BackendProbe probe, CancellationToken cancellationToken)
    {
        await using var stream = await ProbeConnection.OpenAsync(address, probe.BackendTls, cancellationToken);
        var request = $"GET {Join(address, probe.HealthCheck.Path)} HTTP/1.1\r\nHost: {address.Authority}\r\nUser-Agent: WsOrleans-health-check\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);

        var line = await ReadStatusLineAsync(stream, cancellationToken);
        var parts = line.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return (false, $"http: not an HTTP answer: '{line}'");
        }

        return (status is >= 200 and <= 299, $"http: {status}");
    }

    private static async Task<(bool, string)> WebSocketAsync(Uri address, BackendProbe probe, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("User-Agent", "WsOrleans-health-check");
        if (ProbeConnection.IsSecure(address))
        {
            socket.Options.RemoteCertificateValidationCallback = ProbeConnection.ClientOptions(address, probe.BackendTls).RemoteCertificateValidationCallback;
        }

        var target = new UriBuilder(address) { Path = Join(address, probe.PoolPath) }.Uri;
        await socket.ConnectAsync(target, cancellationToken);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "health check", cancellationToken);
        return (true, "websocket: handshake and close ok");
    }

    /// <summary>Reads the first line of the answer (a status line is short; 512 bytes is plenty).</summary>
    private static async Task<string> ReadStatusLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[512];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
            var end = Array.IndexOf(buffer, (byte)'\r', 0, length);
            if (end >= 0)
            {
                return Encoding.ASCII.GetString(buffer, 0, end);
            }
        }

        return length == 0 ? throw new IOException("the connection closed without an answer") : Encoding.ASCII.GetString(buffer, 0, length);
    }

    /// <summary>The backend address's own path prefix, then <paramref name="path"/>: as the edge forwards.</summary>
    private static string Join(Uri address, string path) => address.AbsolutePath.TrimEnd('/') + (path.StartsWith('/') ? path : "/" + path);

    private static string Name(HealthCheckMode mode) => mode.ToString().ToLowerInvariant();

    private static string Reason(Exception e) =>
        e is WebSocketException { InnerException: { } inner } && e.Message.Contains("Unable to connect", StringComparison.Ordinal)
            ? Reason(inner)
            : e is HttpRequestException { InnerException: { } cause } ? Reason(cause) : e.Message;
}
