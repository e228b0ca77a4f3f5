namespace WsOrleans.Bench.Clients;

/// <summary>Opens client WebSockets to one URL. Thread-safe; one instance serves every connection of a run.</summary>
internal interface IWebSocketConnector : IDisposable
{
    /// <summary>The client's name as given to <c>--client</c>: <c>raw</c> or <c>managed</c>.</summary>
    string Name { get; }

    /// <summary>
    /// For <c>wss://</c>, the protocol and cipher suite the first connection negotiated (<c>Tls13 TLS_AES_256_GCM_SHA384</c>);
    /// null for <c>ws://</c>, before a connection, or when the client does not tell.
    /// </summary>
    string? NegotiatedTls { get; }

    /// <summary>
    /// Connects and completes the opening handshake. Failures throw; <see cref="ErrorKinds.Of"/> names them.
    /// </summary>
    Task<IWebSocketConnection> ConnectAsync(CancellationToken cancellationToken);
}
