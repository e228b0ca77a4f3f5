using WsOrleans.Samples;
using WsOrleans.EchoBackend;

// dotnet run --project samples/EchoBackend -- --Id=a --Urls=http://127.0.0.1:5001 [--RejectHandshakes=true]
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

var urls = (configuration["Urls"] ?? "http://127.0.0.1:5001")
    .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
if (urls.Length != 1)
{
    Console.Error.WriteLine($"Urls is '{configuration["Urls"]}'; the echo backend listens on exactly one http:// URL.");
    return 2;
}

var options = new EchoServerOptions
{
    Id = configuration["Id"] ?? "echo",
    Url = urls[0],
    RejectHandshakes = configuration.GetValue("RejectHandshakes", false),
};

using var stop = SampleHost.OnStopSignal();

await using var server = await EchoServer.StartAsync(options, stop.Token);
Console.WriteLine($"Echo backend '{server.Id}' listening on {server.WebSocketAddress} (health: {server.HttpAddress}health)");

await stop.WaitAsync();

return 0;
