using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using WsOrleans.Backends;
using WsOrleans.Balancing;
using WsOrleans.Logging;
using WsOrleans.Pools;

namespace WsOrleans.Routing;

/// <inheritdoc cref="IPoolRouterGrain"/>
/// <remarks>
/// Admits alone at backends without a cap (counted there afterwards, <see cref="AdmitAlone"/>) and asks capped ones
/// first. Reentrant: while one handshake waits for a capped backend grain's answer, the next is routed. Every turn
/// runs on the activation alone, so the members need no lock. The view of the pool (members, drains, health, counts)
/// comes from the pool grain, which has the backends' counts at most 5 ms late: read again in the background once it
/// is <see cref="ReadInterval"/> old, so under load no handshake waits for it, and first once it is
/// <see cref="StaleAfter"/> old (a quiet spell), or older than the version the edge knows. Ages count from when a
/// read began, so an admin change that waits <see cref="StaleAfter"/> after it is made is in every view routed by.
/// A backend grain's answer to this router's own calls is fresher still. Read ages are on the machine's clock, not
/// the grains' (which tests may fake): how stale a view is, is real time. The pool grain never holds a router's call
/// open: a watch that waited there would hold every other call to it (it is not reentrant).
/// </remarks>
[StatelessWorker(1, removeIdleWorkers: false), Reentrant]
internal sealed partial class PoolRouterGrain : Grain, IPoolRouterGrain
{
    /// <summary>How old the view may get before a handshake reads it again in the background.</summary>
    internal static readonly TimeSpan ReadInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>How old the view may get before a handshake waits for a new read: the most a router routes behind the pool grain.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromMilliseconds(20);

    private readonly TimeProvider _time;
    private readonly ILogger<PoolRouterGrain> _logger;
    private readonly SharedRead _read;
    private readonly List<RouterMember> _members = [];
    private readonly Dictionary<string, RouterMember> _membersById = new(StringComparer.Ordinal);
    private readonly List<BackendEntry> _candidates = [];
    private PoolSettings? _settings;
    private int _version;
    private IBalancingStrategy? _strategy;
    private long _readAt;

    public PoolRouterGrain(TimeProvider time, ILogger<PoolRouterGrain> logger)
    {
        _time = time;
        _logger = logger;
        _read = new SharedRead(ReadAsync);
    }

    private IPoolGrain Pool => GrainFactory.GetGrain<IPoolGrain>(this.GetPrimaryKeyString());

    public async ValueTask<RouteResult> Route(RouteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var age = Stopwatch.GetElapsedTime(_readAt);
        if (_settings is null || request.KnownVersion > _version || age >= StaleAfter)
        {
            await _read.RunAsync();
            if (request.KnownVersion > _version)
            {
                // The read under way had begun before the change this edge already serves: once more.
                await _read.RunAsync();
            }
        }
        else if (age >= ReadInterval)
        {
            _ = _read.RunAsync();
        }

        if (_settings is null || _strategy is null)
        {
            return RouteResult.Refused(RouteOutcome.UnknownPool, 0);
        }

        if (_strategy.Name == StrategyNames.Sticky)
        {
            // The bindings are the pool grain's: one table, whichever edge and silo a session's requests arrive at.
            return await Pool.Route(request);
        }

        UpdateRamps();
        List<string>? refusedNow = null;
        var refusal = RouteOutcome.NoBackends;
        if (request.Preferred is { } preferred && _membersById.TryGetValue(preferred, out var bound)
            && bound.Refusal(bound: true) is null && !IsExcluded(bound.Id, request.Excluded, null))
        {
            var (routed, refused) = await TryReserveAsync(bound, request.EdgeId, isBound: true);
            if (routed is { } result)
            {
                return result;
            }

            (refusedNow ??= []).Add(bound.Id);
            refusal = Max(refusal, refused);
        }

        while (true)
        {
            _candidates.Clear();
            foreach (var member in _members)
            {
                if (IsExcluded(member.Id, request.Excluded, refusedNow))
                {
                    continue;
                }

                if (member.Refusal(bound: false) is { } reason)
                {
                    refusal = Max(refusal, reason);
                }
                else
                {
                    _candidates.Add(member.Entry);
                }
            }

            if (_candidates.Count == 0)
            {
                return RouteResult.Refused(refusal, _version);
            }

            var chosen = _membersById[_strategy.Pick(request.Key, _candidates).Id];
            if (chosen.AdmitsAlone)
            {
                return AdmitAlone(chosen, request.EdgeId);
            }

            var (routed, refused) = await TryReserveAsync(chosen, request.EdgeId, isBound: false);
            if (routed is { } result)
            {
                return result;
            }

            // The backend grain knew better than this view (full, drained, unhealthy or removed): the next best one.
            (refusedNow ??= []).Add(chosen.Id);
            refusal = Max(refusal, refused);
        }
    }

    /// <summary>Asks <paramref name="member"/>'s backend grain to admit the connection: the route, or why it would not.</summary>
    private async Task<(RouteResult? Routed, RouteOutcome Refused)> TryReserveAsync(RouterMember member, string edgeId, bool isBound)
    {
        member.Asking();
        BackendAdmission? admission = null;
        try
        {
            admission = await member.Grain.TryReserve(edgeId, isBound);
        }
        finally
        {
            member.Answered(admission?.View);
        }

        return admission.Refusal is { } refused
            ? (null, refused)
            : (new RouteResult(RouteOutcome.Routed, member.Id, admission.View.Settings.Address, _version, admission.Reservation), RouteOutcome.Routed);
    }

    /// <summary>
    /// Admits the connection here, on a view that says the backend takes it, and answers at once; the backend grain
    /// counts it with whatever else this router admitted there while its last send was under way.
    /// </summary>
    private RouteResult AdmitAlone(RouterMember member, string edgeId)
    {
        var reservation = member.Admit(edgeId);
        if (!member.Sending)
        {
            _ = SendAdmittedAsync(member);
        }

        return new RouteResult(RouteOutcome.Routed, member.Id, member.View.Settings.Address, _version, reservation);
    }

    /// <summary>Sends what was admitted alone at <paramref name="member"/>, one call at a time, until nothing is left.</summary>
    private async Task SendAdmittedAsync(RouterMember member)
    {
        for (var admitted = member.TakeUnsent(); !admitted.IsEmpty; admitted = member.TakeUnsent())
        {
            BackendView? view = null;
            try
            {
                view = await member.Grain.CountAdmitted(admitted);
            }
            catch (Exception e)
            {
                // The edges hold these connections and count them in their next reports, within a heartbeat.
                Log.AdmittedNotCounted(_logger, this.GetPrimaryKeyString(), member.Id, admitted.Sum(a => a.Count), e.Message);
            }
            finally
            {
                member.Sent(view);
            }
        }
    }

    private async Task ReadAsync()
    {
        // A view's age counts from when its read began, not ended: a change the pool grain made before that moment is
        // in it, which is what lets an admin change wait out the routers' views (PoolGrain.RoutersCaughtUpAsync).
        var started = Stopwatch.GetTimestamp();
        var routing = await Pool.GetRouting();
        _readAt = started;
        Apply(routing);
    }

    private void Apply(PoolRouting? routing)
    {
        if (routing is null)
        {
            _settings = null;
            _strategy = null;
            _members.Clear();
            _membersById.Clear();
            return;
        }

        if (_strategy is null || _settings is null || _settings.Strategy != routing.Settings.Strategy || _settings.Affinity != routing.Settings.Affinity)
        {
            _strategy = BalancingStrategies.Create(routing.Settings, _time);
        }

        _settings = routing.Settings;
        _version = routing.Version;
        _members.Clear();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in routing.Members)
        {
            var id = member.View.Settings.Id;
            present.Add(id);
            if (_membersById.TryGetValue(id, out var known))
            {
                known.Apply(member.View);
            }
            else
            {
                known = new RouterMember(member.View, GrainFactory.GetGrain<IBackendGrain>(BackendKey.Format(routing.Settings.Name, id)));
                _membersById.Add(id, known);
            }

            known.Ramp(member.RampStarted, _time.GetUtcNow(), routing.Settings.SlowStart);
            _members.Add(known);
        }

        foreach (var gone in _membersById.Keys.Where(id => !present.Contains(id)).ToList())
        {
            _membersById.Remove(gone);
        }
    }

    private void UpdateRamps()
    {
        if (_settings is null || _settings.SlowStart <= TimeSpan.Zero)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var member in _members)
        {
            if (member.RampStarted is { } started)
            {
                member.Ramp(started, now, _settings.SlowStart);
            }
        }
    }

    /// <summary>The weightier of two reasons for refusing: the one a client is told.</summary>
    private static RouteOutcome Max(RouteOutcome a, RouteOutcome b) => b > a ? b : a;

    private static bool IsExcluded(string id, string[]? excluded, List<string>? refusedNow) =>
        (excluded is not null && Array.IndexOf(excluded, id) >= 0) || (refusedNow is not null && refusedNow.Contains(id));

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Pools.AdmittedNotCounted, Level = LogLevel.Warning, Message = "Pool {Pool}: backend {Backend} did not take the count of {Count} connections this router admitted ({Reason}); the edges' next reports count them")]
        public static partial void AdmittedNotCounted(ILogger logger, string pool, string backend, int count, string reason);
    }
}
