using System.Net;
using Microsoft.AspNetCore.Connections;

namespace WsOrleans.Edge.Transport;

/// <summary>
/// The public listener's transport: Kestrel over plain sockets, like its own, except that a
/// connection can be detached once it is upgraded (see <see cref="EdgeSocketConnection.DetachAsync"/>).
/// Registered after Kestrel's, so Kestrel binds TCP endpoints with it.
/// </summary>
internal sealed class EdgeSocketTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IConnectionListener>(new EdgeSocketListener(endpoint));
}
