namespace WsOrleans.Pools;

/// <summary>The answer to an admin change: what it did, and the pool as it is now.</summary>
/// <param name="Outcome">What the change did, or why it did nothing.</param>
/// <param name="Pool">The pool after the change (before it, when nothing changed); null when the pool does not exist.</param>
[GenerateSerializer, Immutable, Alias("wsorleans.admin-result")]
public sealed record class AdminResult(
    [property: Id(0)] AdminOutcome Outcome,
    [property: Id(1)] PoolStatus? Pool);
