using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Admission;

/// <summary>Registers the edge's admission: Kestrel's handshake limits, trusted proxies and per-pool admission.</summary>
internal static class AdmissionExtensions
{
    /// <summary>
    /// Applies <see cref="EdgeSettings.HandshakeTimeout"/> and <see cref="EdgeSettings.MaxRequestHeadersSize"/> to
    /// the public listener, trusts <see cref="EdgeSettings.TrustedProxies"/>' <c>X-Forwarded-For</c>, and adds the gate.
    /// </summary>
    public static WebApplicationBuilder AddEdgeAdmission(this WebApplicationBuilder builder, EdgeSettings edge)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.RequestHeadersTimeout = edge.HandshakeTimeout;
            kestrel.Limits.MaxRequestHeadersTotalSize = edge.MaxRequestHeadersSize;
        });

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // The client's address, and its scheme: behind a proxy that terminates TLS the client is on https,
            // which the X-Forwarded-Proto sent to backends and an affinity cookie's Secure attribute follow.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // Only the configured proxies: not the loopback ones ASP.NET Core trusts by default.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in edge.TrustedProxies)
            {
                options.KnownIPNetworks.Add(network);
                if (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
                {
                    // A dual-stack listener sees an IPv4 proxy as ::ffff:a.b.c.d.
                    options.KnownIPNetworks.Add(new System.Net.IPNetwork(network.BaseAddress.MapToIPv6(), 96 + network.PrefixLength));
                }
            }

            // Walk back through every trusted hop, as nginx's real_ip_recursive: the client is the first untrusted one.
            options.ForwardLimit = null;
        });
        builder.Services.AddSingleton<HandshakeRateLimiter>();
        builder.Services.AddSingleton<AdmissionGate>();
        return builder;
    }

    /// <summary>Takes the client's address from <c>X-Forwarded-For</c> when the peer is a trusted proxy (and only then).</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app, EdgeSettings edge)
    {
        if (!edge.TrustedProxies.IsEmpty)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
