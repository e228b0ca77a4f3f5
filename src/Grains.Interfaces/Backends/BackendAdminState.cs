namespace WsOrleans.Backends;

/// <summary>What an operator has said about a backend.</summary>
public enum BackendAdminState
{
    /// <summary>Takes new connections.</summary>
    Active,

    /// <summary>Takes no new connections; existing ones stay until they close.</summary>
    Draining,
}
