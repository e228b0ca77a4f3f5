namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>The echo backend run as its own process (samples/EchoBackend), so a test can kill it and start it again on the same port.</summary>
internal sealed class EchoProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private ChildProcess? _process;

    private EchoProcess(string id, int port)
    {
        Id = id;
        Port = port;
    }

    public string Id { get; }

    public int Port { get; }

    public Uri WebSocketAddress => new($"ws://127.0.0.1:{Port}");

    /// <summary>Starts the process on a free port and waits until it answers its health page.</summary>
    public static async Task<EchoProcess> StartAsync(string id)
    {
        var echo = new EchoProcess(id, FreePort.Next());
        await echo.RestartAsync();
        return echo;
    }

    /// <summary>Starts the process again (on the same port) and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        _process = ChildProcess.Start("WsOrleans.EchoBackend", $"--Id={Id}", $"--Urls=http://127.0.0.1:{Port}");
        await Eventually.Until(
            async () => _process.HasExited ? "exited: " + _process.Output : await AnswersAsync(),
            answer => answer is "ok" || answer.StartsWith("exited", StringComparison.Ordinal),
            $"echo backend {Id} to answer on port {Port}",
            TimeSpan.FromSeconds(30));
        Assert.False(_process.HasExited, _process.Output);
    }

    /// <summary>Kills the process (SIGKILL): its sockets are reset, as when a server crashes.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public ValueTask DisposeAsync() => new(KillAsync());

    private async Task<string> AnswersAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{Port}/health"));
            return response.IsSuccessStatusCode ? "ok" : ((int)response.StatusCode).ToString();
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }
}
