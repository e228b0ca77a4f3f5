namespace WsOrleans.Backends;

/// <summary>What a backend grain persists: what an operator configured. Counts and health are live state, rebuilt at run time.</summary>
[GenerateSerializer, Alias("wsorleans.backend-state")]
public sealed class BackendState
{
    [Id(0)] public BackendSettings? Settings { get; set; }

    [Id(1)] public BackendAdminState AdminState { get; set; }

    /// <summary>How many times the grain has been activated with these settings; orders its views.</summary>
    [Id(2)] public int Incarnation { get; set; }

    /// <summary>Removed from its pool; kept only while tunnels to it are still open.</summary>
    [Id(3)] public bool Retired { get; set; }

    /// <summary>The deadline of a drain by which open connections are closed; null for none.</summary>
    [Id(4)] public DateTimeOffset? CloseBy { get; set; }
}
