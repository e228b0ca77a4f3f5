using System.Runtime.InteropServices;

namespace WsOrleans.Samples;

/// <summary>
/// What the sample servers share (compiled into each of them): a Kestrel host that reads no configuration
/// files or environment and leaves Ctrl+C to whoever started it, the address it really listens on, and a
/// program's wait for SIGINT or SIGTERM.
/// </summary>
internal static class SampleHost
{
    /// <summary>The longest a stop waits for connections and requests to end before Kestrel drops them.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An empty builder (no appsettings.json or environment, so a server started inside the edge or a test host
    /// never picks up that host's Kestrel endpoints or URLs) with Kestrel, warnings-only logging and no lifetime of its own.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(Type server)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = server.Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(console => console.SingleLine = true);
        builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        return builder;
    }

    /// <summary>Kestrel's bound address (the port it chose for port 0), with a wildcard host made loopback so it can be dialled.</summary>
    public static Uri ListeningAddress(WebApplication app, string url)
    {
        var bound = app.Urls.FirstOrDefault()
            ?? throw new InvalidOperationException($"Kestrel reported no address after starting on '{url}'.");
        var address = new UriBuilder(bound.Replace("://*:", "://0.0.0.0:").Replace("://+:", "://0.0.0.0:"));
        address.Host = address.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ => address.Host,
        };
        address.Path = "/";
        return address.Uri;
    }

    /// <summary>A token cancelled by SIGINT or SIGTERM, for a sample's program; dispose the result to stop listening.</summary>
    public static StopSignal OnStopSignal() => new();

    internal sealed class StopSignal : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly PosixSignalRegistration _sigint;
        private readonly PosixSignalRegistration _sigterm;

        public StopSignal()
        {
            _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        }

        public CancellationToken Token => _stop.Token;

        /// <summary>Waits until a signal came.</summary>
        public async Task WaitAsync()
        {
            try
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        public void Dispose()
        {
            _sigint.Dispose();
            _sigterm.Dispose();
            _stop.Dispose();
        }

        private void OnSignal(PosixSignalContext signal)
        {
            signal.Cancel = true;
            _stop.Cancel();
        }
    }

    /// <summary>Keeps an embedded server from hooking Ctrl+C and SIGTERM: whoever started it decides when it stops.</summary>
    private sealed class NoopHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
