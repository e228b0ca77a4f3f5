using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using WsOrleans.Edge.Management.Admin;
using WsOrleans.Edge.Management.Dashboard;
using WsOrleans.Edge.Observability;
using WsOrleans.Hosting.Configuration;
using WsOrleans.Hosting.Security;
using WsOrleans.Logging;

namespace WsOrleans.Edge.Management;

/// <summary>
/// The management listener (<see cref="ManagementSettings.Urls"/>, loopback by default): a Kestrel
/// server of its own, so status and admin routes can never be reached through the public listener.
/// It reads no configuration of its own: the edge's (its <c>Urls</c> above all) must not leak in.
/// </summary>
internal sealed partial class ManagementServer(
    StatusReader status,
    WsOrleansSettings settings,
    ILoggerFactory loggerFactory,
    IMeterFactory edgeMeters,
    IHostApplicationLifetime edgeLifetime) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ManagementServer>();
    private WebApplication? _app;

    /// <summary>The addresses the listener is bound to (with real ports when configured with port 0).</summary>
    public IReadOnlyList<string> Addresses => _app?.Urls.ToList() ?? [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var urls = settings.Management.UrlList;
        if (urls.Count == 0)
        {
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "WsOrleans.Management" });
        builder.WebHost.UseKestrelCore();
        if (settings.Management.CertificatePath is { } certificatePath)
        {
            // Loaded once at start; configuration has checked the files already.
            var certificate = PemCertificate.Load(certificatePath, settings.Management.KeyPath);
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        }

        builder.Services.AddRoutingCore();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.WriteIndented = true);
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddSingleton(status);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<PoolAdmin>();

        // The exporter reads this edge's instruments only (its meter factory, "local" scope), never
        // those of another edge hosted in the same process, as tests do; runtime meters are global.
        builder.Services.AddSingleton(edgeMeters);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("System.Runtime")
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.Services.AddMetrics(m => m.EnableMetrics(EdgeMetrics.MeterName, scopes: MeterScope.Local));

        var app = builder.Build();
        foreach (var url in urls)
        {
            app.Urls.Add(url);
        }

        app.Use(AnswerErrorsAsProblems);
        app.UseRouting();
        app.MapGet("/status", async (StatusReader reader, CancellationToken ct) => Results.Json(await reader.ReadAsync(ct), ManagementJson.Options));
        app.MapPrometheusScrapingEndpoint("/metrics");

        // Readiness, for load balancers and Kubernetes: false as soon as the edge begins to stop, so
        // traffic moves away while its tunnels drain.
        app.MapGet("/ready", () => edgeLifetime.ApplicationStopping.IsCancellationRequested
            ? Results.Text("stopping\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n"));
        app.MapAdminApi();
        app.MapDashboard();
        await app.StartAsync(cancellationToken);
        _app = app;

        if (string.IsNullOrEmpty(settings.Management.ApiKey))
        {
            Log.NoApiKey(_logger, string.Join(", ", _app.Urls));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>Unknown routes, wrong methods and failures get a problem document, like every other refusal here.</summary>
    private async Task AnswerErrorsAsProblems(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            Log.RequestFailed(_logger, context.Request.Method, context.Request.Path, e);
            var problem = e switch
            {
                TimeoutException => AdminProblems.Status(StatusCodes.Status503ServiceUnavailable, $"The cluster did not answer in time ({e.Message}). A change may still be made: read it back before trying again."),

                // Orleans' own wording when a grain cannot read or write its state, or cannot be found in the grain
                // directory (Redis down in Redis mode).
                _ when StorageUnavailable(e) => AdminProblems.Status(
                    StatusCodes.Status503ServiceUnavailable,
                    $"The cluster's storage is unavailable, so nothing was changed ({ExceptionText.FirstLine(e)}). Try again once it is back."),
                _ => AdminProblems.Status(StatusCodes.Status500InternalServerError, $"The request failed: {ExceptionText.FirstLine(e)}"),
            };
            await problem.ExecuteAsync(context);
            return;
        }

        if (context.Response.HasStarted)
        {
            return;
        }

        if (context.Response.StatusCode == StatusCodes.Status404NotFound && context.GetEndpoint() is null)
        {
            await AdminProblems.Status(StatusCodes.Status404NotFound, $"The management listener has no route {context.Request.Path}; see docs/admin-api.md.").ExecuteAsync(context);
        }
        else if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
        {
            await AdminProblems.Status(
                StatusCodes.Status405MethodNotAllowed,
                $"{context.Request.Method} is not allowed on {context.Request.Path}; allowed: {context.Response.Headers.Allow}.").ExecuteAsync(context);
        }
    }

    private static bool StorageUnavailable(Exception e) =>
        e.Message.StartsWith("Error from storage provider", StringComparison.Ordinal)
        || (e.Message.StartsWith("Lookup failed for", StringComparison.Ordinal) && e.Message.Contains("Redis", StringComparison.Ordinal));

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Management.NoApiKey, Level = LogLevel.Information, Message = "The management listener on {Urls} has no ApiKey: admin changes are taken without credentials, from loopback clients only (set WsOrleans:Management:ApiKey to require one)")]
        public static partial void NoApiKey(ILogger logger, string urls);

        [LoggerMessage(EventId = EventIds.Management.RequestFailed, Level = LogLevel.Warning, Message = "Management request {Method} {Path} failed")]
        public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);
    }
}
