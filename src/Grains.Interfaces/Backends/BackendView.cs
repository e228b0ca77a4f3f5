namespace WsOrleans.Backends;

/// <summary>
/// A backend grain's state as it pushes it to its pool's routing grain.
/// <para>
/// The routing grain numbers its reservations; <see cref="ReservationsReceived"/> is how many of
/// routing-grain activation <see cref="ReservationEpoch"/>'s the backend grain has received (and
/// <see cref="Live"/> includes), so the routing grain adds only the ones still on their way. A count,
/// not the highest number: one-way messages may arrive out of order. Views are ordered by
/// (<see cref="Incarnation"/>, <see cref="Version"/>): the incarnation counts the backend grain's
/// activations and is persisted, so a newer activation always wins without trusting clocks.
/// </para>
/// <para>
/// A draining backend may have a deadline, <see cref="CloseBy"/>, by which its open connections are closed;
/// <see cref="EmptySince"/> is when a draining backend's last connection ended.
/// </para>
/// <para>
/// <see cref="Rebuilding"/>: the grain was activated again (its silo died) and its counts are being rebuilt from the
/// edges' reports; <see cref="Live"/> may be short of the truth until then.
/// </para>
/// </summary>
[GenerateSerializer, Immutable, Alias("wsorleans.backend-view")]
public sealed record class BackendView(
    [property: Id(0)] BackendSettings Settings,
    [property: Id(1)] BackendHealth Health,
    [property: Id(2)] BackendAdminState AdminState,
    [property: Id(3)] long Live,
    [property: Id(4)] long TotalConnections,
    [property: Id(5)] Guid ReservationEpoch,
    [property: Id(6)] long ReservationsReceived,
    [property: Id(7)] int Incarnation,
    [property: Id(8)] long Version,
    [property: Id(9)] HealthCheckResult? LastCheck = null,
    [property: Id(10)] int ConsecutiveFailures = 0,
    [property: Id(11)] DateTimeOffset? CloseBy = null,
    [property: Id(12)] DateTimeOffset? EmptySince = null,
    [property: Id(13)] bool Rebuilding = false)
{
    /// <summary>Whether this view was sent after <paramref name="other"/>.</summary>
    public bool IsNewerThan(BackendView other) =>
        Incarnation != other.Incarnation ? Incarnation > other.Incarnation : Version > other.Version;
}
