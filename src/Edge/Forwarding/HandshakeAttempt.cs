namespace WsOrleans.Edge.Forwarding;

/// <summary>
/// One try of a handshake on one backend, as a request feature. While another backend may still be
/// tried, a 5xx answer is held back from the client (<see cref="ForwardedHeadersTransformer"/>) so
/// the edge can try elsewhere: a handshake has no body, so nothing has reached the client yet.
/// </summary>
internal sealed class HandshakeAttempt(bool retryable)
{
    /// <summary>Whether a failure of this try leads to another one; false on the last allowed try.</summary>
    public bool Retryable { get; } = retryable;

    /// <summary>The 5xx status the backend answered and that was held back, or null.</summary>
    public int? HeldBackStatus { get; set; }
}
