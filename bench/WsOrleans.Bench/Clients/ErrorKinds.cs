using System.Net.Sockets;
using System.Security.Authentication;
using System.Net.WebSockets;

namespace WsOrleans.Bench.Clients;

/// <summary>The error kinds reported in <c>connectErrorKinds</c>, <c>errorKinds</c> and <c>dropKinds</c>.</summary>
internal static class ErrorKinds
{
    public const string ConnectionRefused = "connectionRefused";
    public const string ConnectionReset = "connectionReset";
    public const string ConnectionClosed = "connectionClosed";
    public const string ConnectTimeout = "connectTimeout";
    public const string Timeout = "timeout";
    public const string BadHandshake = "badHandshake";
    public const string ProtocolError = "protocolError";
    public const string SizeMismatch = "sizeMismatch";
    public const string Stalled = "stalled";
    public const string TlsHandshake = "tlsHandshake";

    /// <summary><c>http503</c>: the handshake was answered with that status instead of 101.</summary>
    public static string Http(int status) => "http" + status;

    /// <summary><c>serverClose1001</c>: the server sent a close frame with that status.</summary>
    public static string ServerClose(int status) => "serverClose" + status;

    /// <summary>Names a failure; socket errors are looked for through the inner exceptions.</summary>
    public static string Of(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case BenchException bench:
                    return bench.Kind;
                case SocketException socket:
                    return OfSocket(socket.SocketErrorCode);
                case AuthenticationException:
                    return TlsHandshake;
            }
        }

        return exception switch
        {
            OperationCanceledException or TimeoutException => Timeout,
            WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely } => ConnectionClosed,
            WebSocketException { WebSocketErrorCode: WebSocketError.NotAWebSocket or WebSocketError.HeaderError } => BadHandshake,
            WebSocketException { WebSocketErrorCode: WebSocketError.Faulted or WebSocketError.InvalidMessageType } => ProtocolError,
            WebSocketException web => Camel(web.WebSocketErrorCode.ToString()),
            IOException => ConnectionClosed,
            _ => Camel(exception.GetType().Name.Replace("Exception", "", StringComparison.Ordinal)),
        };
    }

    private static string OfSocket(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ConnectionRefused,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => ConnectionReset,
        SocketError.TimedOut => Timeout,
        SocketError.OperationAborted => "aborted",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostNotFound => "unreachable",
        SocketError.AddressNotAvailable => "addressNotAvailable",
        SocketError.TooManyOpenSockets => "tooManyOpenFiles",
        SocketError.NoBufferSpaceAvailable => "noBufferSpace",
        _ => "socket" + error,
    };

    private static string Camel(string name) =>
        name.Length == 0 ? "unknown" : char.ToLowerInvariant(name[0]) + name[1..];
}
