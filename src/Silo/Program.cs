using Microsoft.Extensions.Hosting;
using WsOrleans.Hosting.Cluster;
using WsOrleans.Hosting.Configuration;

// A silo process: runs the WsOrleans grains for edges that connect as clients. It reads the same
// WsOrleans section as the edges and seeds the pools it is given.
try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Configuration.AddWsOrleansLoggingDefaults();
    var settings = WsOrleansSettings.Load(builder.Configuration);
    if (settings.Cluster.Mode == ClusterMode.Embedded)
    {
        Console.Error.WriteLine(
            "WsOrleans:Cluster:Mode = 'Embedded': a separate silo needs Localhost mode " +
            "(--WsOrleans:Cluster:Mode=Localhost); in Embedded mode the edge hosts its own silo.");
        return 2;
    }

    builder.AddWsOrleansSilo(settings);
    using var host = builder.Build();
    await host.RunAsync();
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
