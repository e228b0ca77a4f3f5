using Microsoft.AspNetCore.Http.Features;

namespace WsOrleans.Edge.Tunneling;

/// <summary>
/// Stands in for Kestrel's upgrade features while YARP forwards a handshake: the real upgrade
/// happens (the client gets its <c>101</c>, or <c>200</c> for HTTP/2), the real stream goes to the
/// hand-off, and YARP gets a <see cref="HandoffClientStream"/>.
/// </summary>
internal sealed class HandoffUpgradeFeatures(IHttpUpgradeFeature? upgrade, IHttpExtendedConnectFeature? connect, TunnelHandoff handoff)
    : IHttpUpgradeFeature, IHttpExtendedConnectFeature
{
    public bool IsUpgradableRequest => upgrade?.IsUpgradableRequest ?? false;

    public bool IsExtendedConnect => connect?.IsExtendedConnect ?? false;

    public string? Protocol => connect?.Protocol;

    /// <summary>Installs itself on <paramref name="context"/> in place of the server's features.</summary>
    public static void Install(HttpContext context, TunnelHandoff handoff)
    {
        var features = new HandoffUpgradeFeatures(context.Features.Get<IHttpUpgradeFeature>(), context.Features.Get<IHttpExtendedConnectFeature>(), handoff);
        if (features.IsExtendedConnect)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(features);
        }
        else
        {
            context.Features.Set<IHttpUpgradeFeature>(features);
        }
    }

    public async Task<Stream> UpgradeAsync() => HandOff(await upgrade!.UpgradeAsync());

    public async ValueTask<Stream> AcceptAsync() => HandOff(await connect!.AcceptAsync());

    private Stream HandOff(Stream client)
    {
        // No socket of ours to the backend (the handler did not connect through us): YARP keeps the tunnel.
        if (handoff.Backend is null)
        {
            return client;
        }

        handoff.TakeOver(client);
        return new HandoffClientStream(client);
    }
}
