using WsOrleans.Edge;
using WsOrleans.Edge.Demo;
using WsOrleans.Hosting.Configuration;

// Socket completions run on the socket engine's own threads instead of hopping to the thread pool:
// a proxy's continuations are short and never block, and the hop is most of their cost. Must be set
// before the first socket is created; an explicit setting in the environment wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

var demo = args.Contains(DemoBackends.Flag);
args = [.. args.Where(a => a != DemoBackends.Flag)];

try
{
    await using var backends = demo ? await DemoBackends.StartAsync() : null;
    await using var edge = EdgeApplication.Build(args, backends is null ? null : backends.AddDefaults);
    await edge.StartAsync();
    backends?.PrintWelcome(edge);
    await edge.WaitForShutdownAsync();
    return 0;
}
catch (WsOrleansConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"The edge could not start: {e.Message}");
    return 1;
}
