namespace WsOrleans.Bench.Scenarios;

/// <summary>The <c>echo</c> command: N connections, each in a closed send-and-wait loop.</summary>
internal sealed record EchoSettings
{
    public required ConnectionSettings Connection { get; init; }

    /// <summary>Connections to open. The default is 200.</summary>
    public int Connections { get; init; } = 200;

    /// <summary>Binary message size in bytes. The default is 32.</summary>
    public int Size { get; init; } = 32;

    /// <summary>The measured window, after the warm-up. The default is 10 seconds.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Round trips before the measured window, not counted. The default is 2 seconds.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>New connections per second at most; 0, the default, opens them all at once.</summary>
    public double ConnectRate { get; init; }

    /// <summary>Processes whose CPU time in the measured window is reported (a proxy's, say); none by default.</summary>
    public IReadOnlyList<int> CpuOf { get; init; } = [];
}
