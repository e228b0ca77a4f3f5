using System.Net;
using System.Net.Sockets;
using WsOrleans.Bench.Clients.Managed;
using WsOrleans.Bench.Clients.Raw;
using WsOrleans.Bench.Scenarios;

namespace WsOrleans.Bench.Clients;

/// <summary>The client implementations <c>--client</c> chooses from, and the factory that builds them.</summary>
internal static class WebSocketClients
{
    /// <summary>The minimal RFC 6455 client over a bare socket. The default.</summary>
    public const string Raw = "raw";

    /// <summary><see cref="System.Net.WebSockets.ClientWebSocket"/> through a shared <see cref="SocketsHttpHandler"/>.</summary>
    public const string Managed = "managed";

    public static IReadOnlyList<string> Names { get; } = [Raw, Managed];

    /// <summary>
    /// Resolves each URL's host once, so no connection pays for a DNS look-up, and builds the connector.
    /// <paramref name="messageSize"/> sizes the per-connection buffers.
    /// </summary>
    public static async Task<IWebSocketConnector> CreateAsync(ConnectionSettings settings, int messageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var tls = ClientTls.Create(settings.TrustedCertificates);
        var connectors = new List<IWebSocketConnector>();
        foreach (var url in settings.Urls)
        {
            connectors.Add(await CreateAsync(settings.Client, url, messageSize, tls, cancellationToken));
        }

        return connectors.Count == 1 ? connectors[0] : new RotatingConnector(connectors);
    }

    private static async Task<IWebSocketConnector> CreateAsync(string client, Uri url, int messageSize, ClientTls tls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.DnsSafeHost;
        var address = IPAddress.TryParse(host, out var literal) ? literal : await ResolveAsync(host, cancellationToken);
        var endPoint = new IPEndPoint(address, url.Port);

        return client switch
        {
            Raw => new RawWebSocketConnector(endPoint, url, messageSize, tls),
            Managed => new ManagedWebSocketConnector(endPoint, url, messageSize, tls),
            _ => throw new SetupException($"The client '{client}' is unknown; use {string.Join(" or ", Names)}."),
        };
    }

    // IPv4 first: a proxy under test usually listens on 127.0.0.1, and "localhost" may also resolve to ::1.
    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException exception)
        {
            throw new SetupException($"The host '{host}' does not resolve: {exception.Message}.", exception);
        }

        return addresses.OrderBy(address => address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
            ?? throw new SetupException($"The host '{host}' resolved to no address.");
    }
}
