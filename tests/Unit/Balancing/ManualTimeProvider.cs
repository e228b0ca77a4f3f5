namespace WsOrleans.Tests.Unit.Balancing;

/// <summary>A clock that moves only when a test advances it, so expiry is tested without sleeps.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
