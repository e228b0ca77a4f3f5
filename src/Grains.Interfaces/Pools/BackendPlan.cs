namespace WsOrleans.Pools;

/// <summary>One backend in a rebalancing plan: what it holds, its fair share, and how many of its connections the round closes.</summary>
[GenerateSerializer, Immutable, Alias("wsorleans.backend-plan")]
public sealed record class BackendPlan(
    [property: Id(0)] string Id,
    [property: Id(1)] long Connections,
    [property: Id(2)] double Share,
    [property: Id(3)] long Closes);
