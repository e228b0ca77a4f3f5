using System.Globalization;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>The arguments of one run of the node harness's signalr-clients.js (the official @microsoft/signalr client).</summary>
internal sealed record SignalRClientRun
{
    /// <summary>Base URLs; each client's HTTP requests and WebSocket connects go to them in turn.</summary>
    public required IReadOnlyList<Uri> Targets { get; init; }

    /// <summary>The default is /chat/hub.</summary>
    public string Hub { get; init; } = "/chat/hub";

    /// <summary>The default is 10.</summary>
    public int Count { get; init; } = 10;

    /// <summary>"default" (the client's own fallback order), "WebSockets", "ServerSentEvents" or "LongPolling". The default is "default".</summary>
    public string Transport { get; init; } = "default";

    /// <summary>When false, no cookie is ever sent back. The default is true.</summary>
    public bool Cookies { get; init; } = true;

    /// <summary>When set, client i sends <c>X-Forwarded-For: {prefix}{i}</c>. The default is none.</summary>
    public string? ForwardedForPrefix { get; init; }

    /// <summary>WhoAmI calls per client, spread over about 1.5 s. The default is 5.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>The limit for each step of a client (start, one answer, stop). The default is 10 seconds.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> ToArguments()
    {
        var args = new List<string>
        {
            "--targets", string.Join(',', Targets.Select(t => t.GetLeftPart(UriPartial.Authority))),
            "--hub", Hub,
            "--count", Count.ToString(CultureInfo.InvariantCulture),
            "--transport", Transport,
            "--cookies", Cookies ? "true" : "false",
            "--rounds", Rounds.ToString(CultureInfo.InvariantCulture),
            "--timeout-ms", ((long)StepTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        };
        if (ForwardedForPrefix is not null)
        {
            args.AddRange(["--forwarded-for", ForwardedForPrefix]);
        }

        return args;
    }
}
