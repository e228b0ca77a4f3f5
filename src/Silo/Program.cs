using Microsoft.AspNetCore.Hosting.Server;
using Orleans.Dashboard;
using WsOrleans.Hosting.Cluster;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Silo;

// A silo process: runs the WsOrleans grains for edges that connect as clients. It reads the same
// WsOrleans section as the edges and seeds the pools it is given. With Cluster:DashboardUrls it also
// serves the Orleans Dashboard there, and nowhere else.
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Configuration.AddWsOrleansLoggingDefaults();
    var settings = WsOrleansSettings.Load(builder.Configuration);
    if (settings.Cluster.Mode == ClusterMode.Embedded)
    {
        Console.Error.WriteLine(
            "WsOrleans:Cluster:Mode = 'Embedded': a separate silo needs Localhost mode " +
            "(--WsOrleans:Cluster:Mode=Localhost); in Embedded mode the edge hosts its own silo.");
        return 2;
    }

    var dashboard = settings.Cluster.DashboardUrlList;
    builder.AddWsOrleansSilo(settings, silo =>
    {
        if (dashboard.Count > 0)
        {
            silo.AddDashboard();
        }
    });
    if (dashboard.Count > 0)
    {
        builder.WebHost.UseUrls([.. dashboard]);
    }
    else
    {
        builder.Services.AddSingleton<IServer, NoHttpServer>();
    }

    await using var app = builder.Build();
    if (dashboard.Count > 0)
    {
        app.MapOrleansDashboard();
    }

    await app.RunAsync();
    return 0;
}
catch (WsOrleansConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"The silo stopped: {e.Message}");
    return 1;
}
