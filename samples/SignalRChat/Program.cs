using WsOrleans.Samples;
using WsOrleans.SignalRChat;

// dotnet run --project samples/SignalRChat -- --Id=a --Urls=http://127.0.0.1:5101 [--BasePath=/chat]
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

var urls = (configuration["Urls"] ?? "http://127.0.0.1:5101")
    .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
if (urls.Length != 1)
{
    Console.Error.WriteLine($"Urls is '{configuration["Urls"]}'; the chat backend listens on exactly one http:// URL.");
    return 2;
}

var options = new ChatServerOptions
{
    Id = configuration["Id"] ?? "chat",
    Url = urls[0],
    BasePath = configuration["BasePath"] ?? ChatServerOptions.DefaultBasePath,
};

using var stop = SampleHost.OnStopSignal();

ChatServer server;
try
{
    server = await ChatServer.StartAsync(options, stop.Token);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

await using (server)
{
    Console.WriteLine($"SignalR chat backend '{server.Id}': page {server.PageAddress} (try ?transport=LongPolling), hub {server.HubAddress}, health {server.HttpAddress}health");
    await stop.WaitAsync();
}

return 0;
