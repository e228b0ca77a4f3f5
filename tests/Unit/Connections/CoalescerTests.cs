using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;

namespace WsOrleans.Tests.Unit.Connections;

/// <summary>How an edge sends releases: at once when quiet, together when they come faster than the interval.</summary>
public sealed class CoalescerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(1);
    private readonly FakeTimeProvider _time = new();
    private readonly List<ImmutableArray<long>> _sent = [];
    private readonly Coalescer<long> _coalescer;

    public CoalescerTests() => _coalescer = new Coalescer<long>(_sent.Add, Interval, _time);

    [Fact]
    public void Quiet_EachItemSentAtOnce()
    {
        _coalescer.Add(1);
        _time.Advance(Interval);
        _coalescer.Add(2);

        Assert.Equal(["1", "2"], _sent.Select(b => string.Join(',', b)));
    }

    [Fact]
    public void Busy_ItemsWithinTheIntervalSentTogetherOnceItPassed()
    {
        _coalescer.Add(1);
        _coalescer.Add(2);
        _time.Advance(Interval / 2);
        _coalescer.Add(3);
        Assert.Equal(["1"], _sent.Select(b => string.Join(',', b)));

        _time.Advance(Interval / 2);
        Assert.Equal(["1", "2,3"], _sent.Select(b => string.Join(',', b)));

        // The interval counts from that send.
        _coalescer.Add(4);
        Assert.Equal(2, _sent.Count);
        _time.Advance(Interval);
        Assert.Equal(["1", "2,3", "4"], _sent.Select(b => string.Join(',', b)));
    }
}
