using Microsoft.Extensions.DependencyInjection.Extensions;
using WsOrleans.Edge.Admission;
using WsOrleans.Edge.Affinity;
using WsOrleans.Edge.BackendClient;
using WsOrleans.Edge.Cluster;
using WsOrleans.Edge.Connections;
using WsOrleans.Edge.Forwarding;
using WsOrleans.Edge.Management;
using WsOrleans.Edge.Observability;
using WsOrleans.Edge.Routing;
using Microsoft.AspNetCore.Connections;
using WsOrleans.Edge.Transport;
using WsOrleans.Edge.Tunneling;
using WsOrleans.Edge.Tunneling.EventLoop;
using WsOrleans.Edge.Upgrade;
using WsOrleans.Hosting.Cluster;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge;

/// <summary>Builds an edge: the public WebSocket listener, its cluster membership and its management listener.</summary>
public static class EdgeApplication
{
    /// <summary>The public listener when <c>Urls</c> is not configured.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>
    /// Builds the edge from standard .NET configuration (appsettings.json, environment, command
    /// line). <paramref name="configure"/> may add configuration sources before it is validated.
    /// Throws <see cref="WsOrleansConfigurationException"/> naming every bad key.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddWsOrleansLoggingDefaults();
        configure?.Invoke(builder);

        var settings = WsOrleansSettings.Load(builder.Configuration);
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        if (settings.Cluster.Mode == ClusterMode.Embedded)
        {
            builder.AddWsOrleansSilo(settings);
        }
        else
        {
            builder.AddWsOrleansClient(settings);
        }

        if (settings.Edge.DetachTunnels)
        {
            builder.Services.AddSingleton<IConnectionListenerFactory, EdgeSocketTransportFactory>();
        }

        // Stopping drains tunnels over the drain window, then reports to the cluster: give it time.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Edge.DrainWindow + TunnelRegistry.CloseHandshakeTimeout + TimeSpan.FromSeconds(5));
        builder.AddEdgeAdmission(settings.Edge);
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<BackendTlsPolicies>();
        builder.Services.AddSingleton<BackendHttpClients>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AffinityCookies>();
        builder.Services.AddSingleton<EdgeConnections>();
        builder.Services.AddSingleton<PoolRouteTable>();
        builder.Services.AddSingleton<DegradedRouting>();
        builder.Services.AddSingleton<RouteTableRefresher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RouteTableRefresher>());
        builder.Services.AddSingleton<StatusReader>();
        builder.Services.AddSingleton<ManagementServer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ManagementServer>());
        builder.Services.AddSingleton<TunnelMetrics>();
        builder.Services.AddSingleton<TunnelRegistry>();
        builder.Services.AddSingleton<EventLoops>();
        builder.Services.AddSingleton<TunnelCloser>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TunnelRegistry>());
        builder.Services.AddSingleton<LeaseHeartbeat>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LeaseHeartbeat>());
        builder.Services.AddSingleton<EdgeMetrics>();
        builder.Services.AddSingleton<BackendHealthMetric>();
        builder.Services.AddSingleton<WebSocketUpgrade>();
        builder.Services.AddSingleton<TunnelCarrier>();
        builder.Services.AddSingleton<WebSocketProxy>();
        builder.Services.AddSingleton<HttpRequestProxy>();
        builder.Services.AddSingleton<LocalPoolRouters>();
        builder.Services.AddSingleton<BackendRouter>();
        builder.Services.AddSingleton<ForwardAttempts>();
        builder.Services.AddSingleton<PoolProxy>();

        var app = builder.Build();
        app.UseTrustedProxies(settings.Edge);
        app.Run(app.Services.GetRequiredService<PoolProxy>().HandleAsync);
        app.Services.GetRequiredService<BackendHealthMetric>();
        return app;
    }
}
