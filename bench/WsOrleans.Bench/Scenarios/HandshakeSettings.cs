namespace WsOrleans.Bench.Scenarios;

/// <summary>The <c>handshakes</c> command: workers that connect, optionally echo once, and close, in a loop.</summary>
internal sealed record HandshakeSettings
{
    public required ConnectionSettings Connection { get; init; }

    /// <summary>Workers, each with at most one connection at a time. The default is 50.</summary>
    public int Concurrency { get; init; } = 50;

    /// <summary>The measured window, after the warm-up. The default is 10 seconds.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Cycles before the measured window, not counted. The default is 2 seconds.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether each connection echoes one message before closing. The default is false.</summary>
    public bool SendMessage { get; init; }

    /// <summary>The size of that message in bytes. The default is 32.</summary>
    public int Size { get; init; } = 32;

    /// <summary>Processes whose CPU time in the measured window is reported (a proxy's, say); none by default.</summary>
    public IReadOnlyList<int> CpuOf { get; init; } = [];
}
