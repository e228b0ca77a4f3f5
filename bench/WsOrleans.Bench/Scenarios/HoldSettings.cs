namespace WsOrleans.Bench.Scenarios;

/// <summary>The <c>hold</c> command: N idle connections held open for a while.</summary>
internal sealed record HoldSettings
{
    public required ConnectionSettings Connection { get; init; }

    /// <summary>Connections to open. The default is 1000.</summary>
    public int Connections { get; init; } = 1000;

    /// <summary>New connections per second at most; 0 opens them all at once. The default is 1000.</summary>
    public double ConnectRate { get; init; } = 1000;

    /// <summary>How long to hold once all are open; <see cref="TimeSpan.Zero"/> holds until stdin closes or a signal. The default is 60 seconds.</summary>
    public TimeSpan HoldFor { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A file written (with the ready line) once all connections are open; none by default.</summary>
    public string? ReadyFile { get; init; }
}
