namespace WsOrleans.Backends;

/// <summary>What a backend grain persists: what an operator configured. Counts and health are live state, rebuilt at run time.</summary>
[GenerateSerializer, Alias("wsorleans.backend-state")]
public sealed class BackendState
{
    [Id(0)] public BackendSettings? Settings { get; set; }

    [Id(1)] public BackendAdminState AdminState { get; set; }
}
