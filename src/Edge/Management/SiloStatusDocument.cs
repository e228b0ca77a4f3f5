namespace WsOrleans.Edge.Management;

/// <summary>One silo of <c>GET /status</c>, from Orleans' membership table.</summary>
internal sealed record class SiloStatusDocument(
    string Address,
    string Name,
    string HostName,
    string Status,
    DateTimeOffset Since,
    DateTimeOffset LastAlive)
{
    public static SiloStatusDocument From(MembershipEntry entry) => new(
        entry.SiloAddress.Endpoint.ToString(),
        entry.SiloName ?? "",
        entry.HostName ?? "",
        entry.Status.ToString().ToLowerInvariant(),
        new DateTimeOffset(DateTime.SpecifyKind(entry.StartTime, DateTimeKind.Utc)),
        new DateTimeOffset(DateTime.SpecifyKind(entry.IAmAliveTime, DateTimeKind.Utc)));
}
