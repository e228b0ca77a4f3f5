using WsOrleans.Samples;

namespace WsOrleans.EchoBackend;

/// <summary>
/// A WebSocket echo server on its own Kestrel host, for demos and tests. Every WebSocket, on any path, gets
/// its frames streamed back, except for the control messages <c>whoami</c>, <c>handshake</c> and
/// <c>close:CODE:REASON</c>. The host reads no configuration files or environment variables, logs only
/// warnings, and leaves Ctrl+C to whoever started it.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly RunningApp _app;
    private readonly EchoServerState _state;

    private EchoServer(WebApplication app, EchoServerState state, Uri httpAddress)
    {
        _app = new RunningApp(app);
        _state = state;
        HttpAddress = httpAddress;
        WebSocketAddress = new UriBuilder(httpAddress) { Scheme = httpAddress.Scheme == "https" ? "wss" : "ws" }.Uri;
    }

    /// <summary>The server's name, as answered to <c>whoami</c>.</summary>
    public string Id => _state.Id;

    /// <summary>Where the server listens, for example <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri HttpAddress { get; }

    /// <summary>The same address with the <c>ws</c> scheme, for example <c>ws://127.0.0.1:5123/</c>.</summary>
    public Uri WebSocketAddress { get; }

    /// <summary>WebSocket sessions open now. A session stops counting as soon as its close handshake starts.</summary>
    public int OpenConnections => _state.OpenConnections;

    /// <summary>The most WebSocket sessions open at once since the server started or <see cref="ResetPeak"/> was called.</summary>
    public int PeakConnections => _state.PeakConnections;

    /// <summary>Starts <see cref="PeakConnections"/> again from the sessions open now.</summary>
    public void ResetPeak() => _state.ResetPeak();

    /// <summary>WebSocket sessions accepted since the server started.</summary>
    public long TotalConnections => _state.TotalConnections;

    /// <summary>Plain HTTP requests being answered now (a held request or an event stream included).</summary>
    public int HttpInFlight => _state.HttpInFlight;

    /// <summary>Plain HTTP requests received since the server started (<c>/health</c> and <c>/stats</c> not counted).</summary>
    public long HttpRequests => _state.HttpRequests;

    /// <summary>
    /// When true, WebSocket handshakes are refused with HTTP 500; open sessions are not touched. May be
    /// flipped while the server runs. The default comes from <see cref="EchoServerOptions.RejectHandshakes"/>.
    /// </summary>
    public bool RejectHandshakes
    {
        get => _state.RejectHandshakes;
        set => _state.RejectHandshakes = value;
    }

    /// <summary>Starts a server named <paramref name="id"/> on <paramref name="url"/> and returns once it listens.</summary>
    public static Task<EchoServer> StartAsync(string id, string url = EchoServerOptions.DefaultUrl, CancellationToken cancellationToken = default) =>
        StartAsync(new EchoServerOptions { Id = id, Url = url }, cancellationToken);

    /// <summary>Starts a server with <paramref name="options"/> and returns once it listens.</summary>
    public static async Task<EchoServer> StartAsync(EchoServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var app = Build(options.Url, options.Certificate);
        try
        {
            var state = new EchoServerState(options.Id, options.RejectHandshakes);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<EchoServer>();
            var handler = new EchoRequestHandler(state, app.Lifetime.ApplicationStopping, logger);
            app.UseWebSockets();
            app.Run(handler.HandleAsync);

            await app.StartAsync(cancellationToken);
            return new EchoServer(app, state, SampleHost.ListeningAddress(app, options.Url));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops listening and aborts open WebSockets without a close handshake. Calling it again returns the
    /// same stop.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Stops the server, as <see cref="StopAsync"/> does, and releases it.</summary>
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static WebApplication Build(string url, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        var builder = SampleHost.CreateBuilder(typeof(EchoServer));
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        }

        var app = builder.Build();
        app.Urls.Add(url);
        return app;
    }
}
