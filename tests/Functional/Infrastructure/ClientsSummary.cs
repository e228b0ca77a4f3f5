namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// The JSON line a client script of the node harness prints at its end. <see cref="Backends"/> and
/// <see cref="Transports"/> count the clients that succeeded (every answer from one backend);
/// <see cref="RequestsPerTarget"/> counts HTTP requests and WebSocket connects per target origin.
/// </summary>
internal sealed record ClientsSummary
{
    public int Clients { get; init; }

    public int Ok { get; init; }

    public int Failed { get; init; }

    /// <summary>The first few failures, "client I: message".</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    public IReadOnlyDictionary<string, int> Backends { get; init; } = new Dictionary<string, int>();

    /// <summary>Socket.IO: "websocket" / "polling"; SignalR: "WebSockets", "ServerSentEvents", "LongPolling".</summary>
    public IReadOnlyDictionary<string, int> Transports { get; init; } = new Dictionary<string, int>();

    public IReadOnlyDictionary<string, int> RequestsPerTarget { get; init; } = new Dictionary<string, int>();

    public AnswerTimes AnswerMs { get; init; } = new(0, 0, 0);

    /// <summary>Socket.IO only: clients whose connection upgraded to (or started on) WebSocket.</summary>
    public int? Upgraded { get; init; }

    public long DurationMs { get; init; }

    /// <summary>The line as printed, for failure messages.</summary>
    public string Raw { get; init; } = "";

    public override string ToString() => Raw;
}
