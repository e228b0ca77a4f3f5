using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using WsOrleans.Edge.Tunneling;

namespace WsOrleans.Edge.BackendClient;

/// <summary>
/// The HTTP client YARP forwards handshakes with: one new connection per handshake (an upgraded
/// connection is never reused), TLS for <c>wss://</c> backends, one request head written, one
/// response head read. A <c>101</c>'s body is the upgraded connection itself, which a
/// <see cref="TunnelHandoff"/> takes; any other answer is read whole (it is small) and relayed.
/// It does what SocketsHttpHandler would for this one kind of request without its connection
/// pool, buffers and timers, which a handshake per connection would create and drop every time.
/// </summary>
internal sealed class UpgradeHandler(TimeSpan connectTimeout) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { Headers.ContentLength: > 0 })
        {
            throw new HttpRequestException("A forwarded handshake has no body.");
        }

        var handoff = request.Options.TryGetValue(TunnelHandoff.Key, out var h) ? h : null;
        var connection = await ConnectAsync(request.RequestUri!, handoff?.Tls, cancellationToken);

        // A tunnel side's reads take no token: a backend that never answers is cut off by closing it.
        var abort = cancellationToken.UnsafeRegister(static c => ((ITunnelSide)c!).Close(), connection);
        try
        {
            var head = new ArrayBufferWriter<byte>(1024);
            RequestHeadWriter.Write(request, head);
            await connection.WriteAsync(head.WrittenMemory);

            var answer = await ResponseHead.ReadAsync(connection.ReadAsync, cancellationToken);
            var response = new HttpResponseMessage(answer.Status) { ReasonPhrase = answer.Reason, Version = HttpVersion.Version11, RequestMessage = request };
            if (answer.Status == HttpStatusCode.SwitchingProtocols)
            {
                // From here the tunnel owns the connection; the request's token no longer does.
                await abort.DisposeAsync();
                var stream = new UpgradedBackendStream(connection, answer.After, handoff);
                handoff?.Connected(connection, stream);
                response.Content = new StreamContent(stream);
                CopyHeaders(answer, response, includeBodyHeaders: false);
                return response;
            }

            var body = await ResponseBody.ReadAsync(answer, connection.ReadAsync, cancellationToken);
            connection.Dispose();
            response.Content = new ByteArrayContent(body);
            CopyHeaders(answer, response, includeBodyHeaders: true);
            response.Content.Headers.ContentLength = body.Length;
            return response;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            connection.Dispose();
            throw new OperationCanceledException(cancellationToken);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        finally
        {
            await abort.DisposeAsync();
        }
    }

    /// <summary>A TCP connection (and, for https://, a TLS session on it) with a deadline.</summary>
    private async Task<ITunnelSide> ConnectAsync(Uri uri, SslClientAuthenticationOptions? tls, CancellationToken cancellationToken)
    {
        var socket = await BackendDialer.ConnectAsync(uri.IdnHost, uri.Port, connectTimeout, cancellationToken);
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return new SocketSide(socket);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            await stream.AuthenticateAsClientAsync(tls ?? new SslClientAuthenticationOptions { TargetHost = uri.IdnHost }, timeout.Token);
            return new TlsSide(stream, socket);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync();
            socket.Dispose();
            throw new HttpRequestException($"The TLS handshake with {uri.Authority} took longer than {connectTimeout.TotalSeconds:0.###} s.", null, HttpStatusCode.GatewayTimeout);
        }
        catch
        {
            await stream.DisposeAsync();
            socket.Dispose();
            throw;
        }
    }

    private static void CopyHeaders(ResponseHead answer, HttpResponseMessage response, bool includeBodyHeaders)
    {
        foreach (var (name, value) in answer.Headers)
        {
            if (includeBodyHeaders && IsFraming(name))
            {
                continue;
            }

            if (response.Headers.TryAddWithoutValidation(name, value))
            {
                continue;
            }

            // Content headers go on the content; the body is relayed whole, so its framing is not.
            if (includeBodyHeaders)
            {
                response.Content!.Headers.TryAddWithoutValidation(name, value);
            }
        }

        static bool IsFraming(string name) =>
            name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);
    }
}
