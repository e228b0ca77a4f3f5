using System.Globalization;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>The arguments of one run of the node harness's socketio-clients.js.</summary>
internal sealed record SocketIoClientRun
{
    /// <summary>Base URLs; each client's HTTP requests and WebSocket connects go to them in turn.</summary>
    public required IReadOnlyList<Uri> Targets { get; init; }

    /// <summary>The default is 10.</summary>
    public int Count { get; init; } = 10;

    /// <summary>WebSocket from the start instead of polling then an upgrade. The default is false.</summary>
    public bool WebSocketOnly { get; init; }

    /// <summary>The client's withCredentials: the Node client keeps cookies only then. The default is true.</summary>
    public bool Cookies { get; init; } = true;

    /// <summary>When set, client i sends <c>X-Forwarded-For: {prefix}{i}</c>. The default is none.</summary>
    public string? ForwardedForPrefix { get; init; }

    /// <summary>The default is /socket.io/.</summary>
    public string Path { get; init; } = "/socket.io/";

    /// <summary>whoami calls per client, spread over about 1.5 s. The default is 5.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>The limit for each step of a client (connect, upgrade, one answer). The default is 10 seconds.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> ToArguments()
    {
        var args = new List<string>
        {
            "--targets", string.Join(',', Targets.Select(t => t.GetLeftPart(UriPartial.Authority))),
            "--count", Count.ToString(CultureInfo.InvariantCulture),
            "--transports", WebSocketOnly ? "websocket" : "default",
            "--cookies", Cookies ? "true" : "false",
            "--path", Path,
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
