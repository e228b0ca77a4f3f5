using WsOrleans.Edge;
using WsOrleans.Edge.Demo;
using WsOrleans.Hosting.Configuration;

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
