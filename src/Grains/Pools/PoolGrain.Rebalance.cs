using Microsoft.Extensions.Logging;
using WsOrleans.Backends;
using WsOrleans.Edges;
using WsOrleans.Logging;
using WsOrleans.Rebalancing;
using WsOrleans.Routing;

namespace WsOrleans.Pools;

/// <summary>
/// Moving live connections: rebalancing rounds (a backend above its fair share sheds down to it) and drains
/// with a deadline. Once a second, while there is something to move, the grain reads from each backend
/// grain involved how many connections each edge holds, decides how many to close, and orders each edge
/// to close its part (<see cref="CloseOrder"/>, spread over most of the second). Closes ordered but not
/// yet seen in a backend's count are taken off it, so nothing is closed twice, and a round ends only once
/// all have been seen; a new activation waits as long as a close may take before its first order. The
/// arithmetic is <see cref="RebalancePlanner"/>'s.
/// </summary>
internal sealed partial class PoolGrain
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    // An edge spreads a tick's closes over most of it, so they have ended and been reported by the next tick.
    private static readonly TimeSpan Spread = Tick * 0.8;

    // A close handshake takes up to 2 s and its release a moment more: an order not seen by then is given up.
    private static readonly TimeSpan PendingWindow = TimeSpan.FromSeconds(3);

    // Per backend: its count when the first close still pending was ordered, closes ordered since, and when the last was.
    private readonly Dictionary<string, (long LiveAtFirst, long Ordered, DateTimeOffset LastAt)> _pending = new(StringComparer.Ordinal);
    private IGrainTimer? _moveTimer;
    private DateTimeOffset _ordersAllowedAt;
    private bool _roundActive;
    private long _roundTotal;
    private long _roundOrdered;
    private DateTimeOffset _roundStarted;

    public async ValueTask<AdminResult> DrainWithin(string backendId, TimeSpan closeWithin)
    {
        if (state.State.Settings is null)
        {
            return Answer(AdminOutcome.UnknownPool);
        }

        if (!_membersById.TryGetValue(backendId, out var member))
        {
            return Answer(AdminOutcome.UnknownBackend);
        }

        var closeBy = time.GetUtcNow() + closeWithin;
        Apply(member, await member.Grain.SetAdminState(BackendAdminState.Draining, closeBy));
        await RoutersCaughtUpAsync();
        Log.DrainStarted(logger, Name, backendId, member.Entry.Live, closeBy);
        StartMoving();
        return Answer(AdminOutcome.Changed);
    }

    public ValueTask<RebalancePlan> Rebalance()
    {
        if (state.State.Settings is not { } settings)
        {
            return ValueTask.FromResult(new RebalancePlan(RebalanceOutcome.UnknownPool, [], 0));
        }

        if (!CanRebalance(settings.Strategy))
        {
            return ValueTask.FromResult(new RebalancePlan(RebalanceOutcome.NotRebalanceable, [], settings.Rebalance.MaxClosesPerSecond));
        }

        var shares = RebalancePlanner.Shares(Planned());
        var outcome = shares.Any(s => s.Excess > 0) ? RebalanceOutcome.Started : RebalanceOutcome.Balanced;
        if (outcome == RebalanceOutcome.Started)
        {
            BeginRound(shares);
            StartMoving();
        }

        return ValueTask.FromResult(new RebalancePlan(
            outcome,
            [.. shares.Select(s => new BackendPlan(s.Id, s.Live, Math.Round(s.Share, 2), s.Excess))],
            settings.Rebalance.MaxClosesPerSecond));
    }

    /// <summary>Whether closing connections moves them: least connections and round robin send a reconnect elsewhere; hashing and stickiness send it back.</summary>
    internal static bool CanRebalance(string strategy) => strategy == StrategyNames.LeastConnections || strategy == StrategyNames.RoundRobin;

    /// <summary>Runs the once-a-second mover while there may be something to move (and keeps it off otherwise).</summary>
    private void StartMoving()
    {
        _moveTimer ??= this.RegisterGrainTimer(MoveAsync, new GrainTimerCreationOptions(Tick, Tick) { Interleave = true });
    }

    /// <summary>After activation: resumes drains with a deadline and automatic rebalancing, once earlier orders have settled.</summary>
    private void ResumeMoving()
    {
        _ordersAllowedAt = time.GetUtcNow() + PendingWindow;
        if (state.State.Settings?.Rebalance.Enabled == true || _members.Any(m => m.View.CloseBy is not null))
        {
            StartMoving();
        }
    }

    private async Task MoveAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        ForgetSeenCloses(now);
        if (state.State.Settings is not { } settings || now < _ordersAllowedAt)
        {
            return;
        }

        var draining = _members.Where(m => m.View is { AdminState: BackendAdminState.Draining, CloseBy: not null } && Live(m) > 0).ToList();
        var shares = CanRebalance(settings.Strategy) ? RebalancePlanner.Shares(Planned(), _roundActive ? _roundTotal : 0) : [];
        _roundTotal = Math.Max(_roundTotal, shares.Sum(s => s.Live));
        if (!_roundActive && settings.Rebalance.Enabled && shares.Any(s => s.IsAbove(settings.Rebalance.Tolerance)))
        {
            BeginRound(shares);
        }

        if (_roundActive && shares.All(s => s.Excess == 0) && _pending.Count == 0)
        {
            EndRound(now);
        }

        if (!_roundActive && draining.Count == 0)
        {
            if (!settings.Rebalance.Enabled && !_members.Any(m => m.View is { AdminState: BackendAdminState.Draining, CloseBy: not null }))
            {
                _moveTimer?.Dispose();
                _moveTimer = null;
            }

            return;
        }

        var closes = new List<(PoolMember Member, int Count, CloseReason Reason)>();
        foreach (var member in draining)
        {
            if (member.View.CloseBy!.Value - now <= Tick)
            {
                // The last tick of a drain: every edge closes all it still has, whatever the counts say.
                await SweepAsync(member);
                continue;
            }

            closes.Add((member, RebalancePlanner.DrainCloses(Live(member), member.View.CloseBy!.Value, now, Tick), CloseReason.Drain));
        }

        if (_roundActive)
        {
            foreach (var (backendId, count) in RebalancePlanner.RebalanceCloses(shares, settings.Rebalance.MaxClosesPerSecond))
            {
                closes.Add((_membersById[backendId], count, CloseReason.Rebalance));
                _roundOrdered += count;
            }
        }

        var byEdge = await Task.WhenAll(closes.Select(c => c.Member.Grain.GetLiveByEdge().AsTask()));
        foreach (var ((member, count, reason), liveByEdge) in closes.Zip(byEdge))
        {
            var ordered = 0;
            foreach (var order in RebalancePlanner.ForEdges(member.Id, count, liveByEdge))
            {
                GrainFactory.GetGrain<IEdgeGrain>(order.EdgeId).Close(new CloseOrder(Name, member.Id, order.Count, Spread, reason)).Forget();
                ordered += order.Count;
            }

            if (ordered > 0)
            {
                var pending = _pending.GetValueOrDefault(member.Id, (member.Entry.Live, 0, now));
                _pending[member.Id] = (pending.LiveAtFirst, pending.Ordered + ordered, now);
            }
        }
    }

    /// <summary>Orders every live edge to close all its tunnels to <paramref name="member"/> within this tick.</summary>
    private async Task SweepAsync(PoolMember member)
    {
        foreach (var edge in await GrainFactory.GetGrain<IEdgeRegistryGrain>(0).GetEdges())
        {
            GrainFactory.GetGrain<IEdgeGrain>(edge.Id).Close(new CloseOrder(Name, member.Id, int.MaxValue, Spread, CloseReason.Drain)).Forget();
        }
    }

    private void BeginRound(IReadOnlyList<BackendShare> shares)
    {
        if (_roundActive)
        {
            return;
        }

        _roundActive = true;
        _roundTotal = shares.Sum(s => s.Live);
        _roundOrdered = 0;
        _roundStarted = time.GetUtcNow();
        Log.RoundStarted(
            logger, Name, shares.Sum(s => s.Excess),
            string.Join(", ", shares.Select(s => $"{s.Id} {s.Live}/{s.Share:0.#}{(s.Excess > 0 ? $" -{s.Excess}" : "")}")));
    }

    private void EndRound(DateTimeOffset now)
    {
        _roundActive = false;
        Log.RoundEnded(logger, Name, _roundOrdered, (now - _roundStarted).TotalSeconds);
    }

    /// <summary>Forgets the closes a backend's count has come down by, and those ordered too long ago to wait for.</summary>
    private void ForgetSeenCloses(DateTimeOffset now)
    {
        foreach (var (backendId, pending) in _pending)
        {
            if (!_membersById.TryGetValue(backendId, out var member) || Unseen(member, pending) == 0 || now - pending.LastAt > PendingWindow)
            {
                _pending.Remove(backendId);
            }
        }
    }

    private static long Unseen(PoolMember member, (long LiveAtFirst, long Ordered, DateTimeOffset LastAt) pending) =>
        Math.Max(0, pending.Ordered - (pending.LiveAtFirst - member.Entry.Live));

    /// <summary>The members as the planner sees them: ramped weights, and counts less the closes still pending.</summary>
    private IEnumerable<PlannedBackend> Planned() =>
        _members.Select(m => new PlannedBackend(m.Id, m.Entry.WeightPermille, Live(m), m.IsRoutable));

    private long Live(PoolMember member) =>
        Math.Max(0, member.Entry.Live - (_pending.TryGetValue(member.Id, out var pending) ? Unseen(member, pending) : 0));

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Pools.DrainStarted, Level = LogLevel.Information, Message = "Pool {Pool}: backend {Backend} draining; its {Live} connections are closed by {CloseBy}")]
        public static partial void DrainStarted(ILogger logger, string pool, string backend, long live, DateTimeOffset closeBy);

        [LoggerMessage(EventId = EventIds.Pools.RebalanceRoundStarted, Level = LogLevel.Information, Message = "Pool {Pool}: rebalancing round started, {Excess} connections above their shares (backend live/share -excess: {Plan})")]
        public static partial void RoundStarted(ILogger logger, string pool, long excess, string plan);

        [LoggerMessage(EventId = EventIds.Pools.RebalanceRoundEnded, Level = LogLevel.Information, Message = "Pool {Pool}: rebalancing round done, {Ordered} closes ordered over {Seconds:0.#} s")]
        public static partial void RoundEnded(ILogger logger, string pool, long ordered, double seconds);
    }
}
