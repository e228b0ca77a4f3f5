namespace WsOrleans.Backends;

/// <summary>
/// One backend of one pool (key: <see cref="BackendKey"/>). Owns the backend's settings, admin
/// state, health and live connections per edge, and pushes every change to its pool's routing grain.
/// </summary>
[Alias("wsorleans.backend")]
public interface IBackendGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the backend (called by its routing grain) and returns its state.</summary>
    [Alias("configure")]
    ValueTask<BackendView> Configure(BackendSettings settings);

    /// <summary>The backend's current state.</summary>
    [Alias("view"), ReadOnly]
    ValueTask<BackendView> GetView();

    /// <summary>Counts a connection the routing grain (activation <paramref name="poolEpoch"/>) reserved for <paramref name="edgeId"/>.</summary>
    [Alias("reserve"), OneWay]
    ValueTask Reserve(string edgeId, Guid poolEpoch);

    /// <summary>An edge reports that one of its connections to this backend ended.</summary>
    [Alias("release"), OneWay]
    ValueTask Release(string edgeId);

    /// <summary>The backend left its pool: forget its settings.</summary>
    [Alias("retire")]
    ValueTask Retire();
}
