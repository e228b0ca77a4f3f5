using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Edge.Forwarding;

/// <summary>Forwards one request (a handshake, or a plain HTTP request) to the backend the routing grain chose.</summary>
internal interface IBackendForwarder
{
    /// <summary>
    /// Forwards to <paramref name="backendId"/> at <paramref name="address"/>, counting the connection with its
    /// <paramref name="reservation"/> until it ends. Returns null once a backend's answer (or tunnel) reached the client;
    /// returns the failure, with nothing sent to the client, only when <paramref name="retryable"/> and the backend
    /// saw nothing it could act on, so that another backend may be tried.
    /// </summary>
    Task<ForwardFailure?> ForwardAsync(HttpContext context, PoolRoute pool, string backendId, string address, ReservationMark? reservation, bool retryable);
}
