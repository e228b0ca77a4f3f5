using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using WsOrleans.Edge.Affinity;
using WsOrleans.Edge.BackendClient;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Pools;

namespace WsOrleans.Edge.Upgrade;

/// <summary>
/// Forwards a client's WebSocket handshake to one backend and, when the backend switches protocols, switches the
/// client's too, leaving both connections to a tunnel. The whole upgrade, top to bottom: connect (TLS for
/// <c>wss://</c>), send the <see cref="UpgradeRequest"/>, read the backend's answer within
/// <c>BackendResponseTimeout</c>, then give the client the <see cref="ClientAnswer"/>. Kestrel has parsed what the
/// client sent; the edge reads only what the backend sends.
/// </summary>
internal sealed class WebSocketUpgrade(BackendTlsPolicies tls, WsOrleansSettings settings)
{
    /// <summary>
    /// Forwards the handshake to the backend at <paramref name="address"/>. With <paramref name="holdBack5xx"/> (another
    /// backend may still be tried) a 5xx answer is not relayed but <see cref="UpgradeOutcome.HeldBack"/>.
    /// </summary>
    public async Task<UpgradeOutcome> ForwardAsync(HttpContext context, PoolRoute pool, string address, bool holdBack5xx)
    {
        var backend = BackendAddress.Of(address);
        var ticket = context.Features.Get<AffinityTicket>();
        var clientGone = context.RequestAborted;
        ITunnelSide? connection = null;
        var keepConnection = false;
        try
        {
            var validation = backend.Tls ? tls.Callback(pool.Name, pool.BackendTls) : null;
            connection = await TunnelDialer.ConnectAsync(backend, validation, settings.Edge.BackendConnectTimeout, clientGone);

            var head = new ArrayBufferWriter<byte>(1024);
            var madeKey = UpgradeRequest.Write(context, backend, ticket is { Brought: true } ? ticket.Name : null, head);
            await connection.WriteAsync(head.WrittenMemory);
            ResponseHead answer;
            using (var deadline = new ReadDeadline(connection, settings.Edge.BackendResponseTimeout, clientGone))
            {
                answer = await deadline.Guard(ResponseHead.ReadAsync(connection.ReadAsync, CancellationToken.None));
            }

            if (answer.Status == HttpStatusCode.SwitchingProtocols)
            {
                if (madeKey is not null && answer["Sec-WebSocket-Accept"] != UpgradeRequest.Accept(madeKey))
                {
                    return new UpgradeOutcome.Failed(StatusCodes.Status502BadGateway, "answered the handshake with a wrong Sec-WebSocket-Accept");
                }

                var client = await ClientAnswer.UpgradeAsync(context, answer, ticket?.SetCookie);
                keepConnection = true;
                return new UpgradeOutcome.Upgraded(client, connection, answer.After);
            }

            var status = (int)answer.Status;
            if (holdBack5xx && status >= StatusCodes.Status500InternalServerError)
            {
                return new UpgradeOutcome.HeldBack(status);
            }

            byte[] body;
            using (var deadline = new ReadDeadline(connection, settings.Edge.BackendResponseTimeout, clientGone))
            {
                body = await deadline.Guard(ResponseBody.ReadAsync(answer, connection.ReadAsync, CancellationToken.None));
            }

            await ClientAnswer.RelayAsync(context, answer, body, ticket?.SetCookie);
            return new UpgradeOutcome.Answered(status);
        }
        catch (Exception) when (clientGone.IsCancellationRequested)
        {
            return new UpgradeOutcome.Answered(StatusCodes.Status499ClientClosedRequest);
        }
        catch (TimeoutException e)
        {
            return new UpgradeOutcome.Failed(StatusCodes.Status504GatewayTimeout, e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or AuthenticationException)
        {
            // Only the backend's part can fail here: the client's upgrade comes last, and no exception of these kinds comes from it.
            return new UpgradeOutcome.Failed(StatusCodes.Status502BadGateway, Reason(e));
        }
        finally
        {
            if (!keepConnection)
            {
                connection?.Dispose();
            }
        }
    }

    private static string Reason(Exception e) =>
        e is HttpRequestException { InnerException: { } inner } failed && failed.Message.Contains("inner exception", StringComparison.Ordinal) ? inner.Message : e.Message;

    /// <summary>
    /// Ends a read from the backend (by closing the connection: a tunnel side's reads take no token) when the answer
    /// takes longer than the deadline or the client leaves; a read it ended throws <see cref="TimeoutException"/>.
    /// </summary>
    private sealed class ReadDeadline : IDisposable
    {
        private readonly CancellationTokenSource _timer;
        private readonly CancellationTokenRegistration _onExpiry;
        private readonly TimeSpan _timeout;

        public ReadDeadline(ITunnelSide connection, TimeSpan timeout, CancellationToken clientGone)
        {
            _timeout = timeout;
            _timer = CancellationTokenSource.CreateLinkedTokenSource(clientGone);
            _timer.CancelAfter(timeout);
            _onExpiry = _timer.Token.UnsafeRegister(static c => ((ITunnelSide)c!).Close(), connection);
        }

        public async Task<T> Guard<T>(Task<T> read)
        {
            T result;
            try
            {
                result = await read;
            }
            catch (Exception) when (_timer.IsCancellationRequested)
            {
                throw Expired();
            }
            finally
            {
                // Waits for an expiry running now: after this, the connection is closed only if the deadline passed.
                _onExpiry.Dispose();
            }

            return _timer.IsCancellationRequested ? throw Expired() : result;
        }

        private TimeoutException Expired() => new($"no answer within {_timeout.TotalSeconds:0.###} s");

        public void Dispose()
        {
            _onExpiry.Dispose();
            _timer.Dispose();
        }
    }
}
