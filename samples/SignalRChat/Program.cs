using System.Runtime.InteropServices;
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

using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext signal)
{
    signal.Cancel = true;
    stop.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

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
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

return 0;
