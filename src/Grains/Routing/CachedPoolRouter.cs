using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using WsOrleans.Backends;
using WsOrleans.Balancing;
using WsOrleans.Logging;
using WsOrleans.Pools;

namespace WsOrleans.Routing;

/// <summary>
/// Routes one pool's handshakes from a cached view of the pool: run by each silo's router grain, and by each edge that
/// routes by itself (<c>WsOrleans:Edge:RouteLocally</c>). A backend without a cap it admits alone, on a view that says
/// the backend takes connections (active, healthy, a member), numbers the connection for the edge's reports and counts
/// it at the backend grain afterwards, many at a time (<see cref="IBackendGrain.CountAdmitted"/>); a capped backend it
/// asks first (<see cref="IBackendGrain.TryReserve"/>), so that grain alone keeps the cap. Pools of the strategies it
/// does not decide (Sticky: the pool grain holds the bindings; at an edge also RoundRobin, whose order is one sequence
/// per silo router) go to <c>routeElsewhere</c>.
/// </summary>
/// <remarks>
/// The view is read again in the background once it is <c>readInterval</c> old, so under load no handshake waits for
/// it, and first once it is <see cref="StaleAfter"/> old (a quiet spell) or older than the version the edge knows.
/// Ages count from when a read began (at the pool grain, however many hops away), so an admin change that waits
/// <see cref="StaleAfter"/> after it is made is in every view routed by. Ages are on the machine's clock, not a
/// <see cref="TimeProvider"/> tests may fake: how stale a view is, is real time. Its own admissions not yet in the view
/// count 1 / its share of the pool's each (<see cref="AdmissionShare"/>), so many routers deciding from the same view
/// fill a gap once between them, not once each. Thread-safe: every decision is made
/// under one lock, and no lock is held across a grain call. It never leaves the caller's context (in a grain, the
/// activation's scheduler).
/// </remarks>
internal sealed partial class CachedPoolRouter
{
    /// <summary>How old a view may get before a handshake waits for a new read: the most a router routes behind the pool grain.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromMilliseconds(20);

    /// <summary>How old an edge's view may get before a handshake reads it again in the background (<see cref="ForEdge"/>).</summary>
    internal static readonly TimeSpan EdgeReadInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>A read of the view not answered in this long is taken as lost, and the next handshake reads again.</summary>
    internal static readonly TimeSpan ReadAbandonedAfter = TimeSpan.FromSeconds(1);

    // At an edge: Sticky bindings are the pool grain's; RoundRobin's order is one sequence per silo router (one for the
    // whole cluster with one silo), which a sequence per edge would break into as many as there are edges.
    private static readonly FrozenSet<string> RoutedBySiloRouters = [StrategyNames.Sticky, StrategyNames.RoundRobin];

    private readonly Lock _gate = new();
    private readonly IGrainFactory _grains;
    private readonly Func<int, Task<RouterView>> _read;
    private readonly IReadOnlySet<string> _strategiesElsewhere;
    private readonly Func<RouteRequest, ValueTask<RouteResult>> _routeElsewhere;
    private readonly TimeSpan _readInterval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SharedRead _sharedRead;
    private readonly List<RouterMember> _members = [];
    private readonly Dictionary<string, RouterMember> _membersById = new(StringComparer.Ordinal);
    private readonly List<BackendEntry> _candidates = [];
    private readonly AdmissionShare _share = new();
    private PoolRouting? _routing;
    private PoolSettings? _settings;
    private IBalancingStrategy? _strategy;
    private int _version;
    private int _wantedVersion;
    private long _ownAdmitted;
    private long _readAt;

    /// <param name="grains">Reaches the backend grains.</param>
    /// <param name="read">Reads the pool's view, given the version the caller knows: from the pool grain, or from a silo's router.</param>
    /// <param name="strategiesElsewhere">The strategies whose pools this router does not decide itself.</param>
    /// <param name="routeElsewhere">Routes a handshake of such a pool.</param>
    /// <param name="readInterval">How old the view may get before a handshake reads it again in the background.</param>
    /// <param name="time">The clock of slow starts.</param>
    /// <param name="logger">Where a count that did not reach a backend grain is logged.</param>
    /// <param name="readAbandonedAfter">How long a read may go unanswered before the next handshake reads again; <see cref="ReadAbandonedAfter"/> when null.</param>
    public CachedPoolRouter(
        IGrainFactory grains,
        Func<int, Task<RouterView>> read,
        IReadOnlySet<string> strategiesElsewhere,
        Func<RouteRequest, ValueTask<RouteResult>> routeElsewhere,
        TimeSpan readInterval,
        TimeProvider time,
        ILogger logger,
        TimeSpan? readAbandonedAfter = null)
    {
        _grains = grains;
        _read = read;
        _strategiesElsewhere = strategiesElsewhere;
        _routeElsewhere = routeElsewhere;
        _readInterval = readInterval;
        _time = time;
        _logger = logger;
        _sharedRead = new SharedRead(ReadAsync, readAbandonedAfter ?? ReadAbandonedAfter);
    }

    /// <summary>
    /// A router for an edge that routes <paramref name="router"/>'s pool by itself: its view is read from that silo
    /// router (one read there serves every edge on the silo) every <see cref="EdgeReadInterval"/> under load, twice the
    /// silo router's own (the view arrives already up to that old); Sticky and RoundRobin pools are routed there.
    /// </summary>
    public static CachedPoolRouter ForEdge(IPoolRouterGrain router, IGrainFactory grains, TimeProvider time, ILogger logger) =>
        new(grains, knownVersion => router.GetView(knownVersion).AsTask(), RoutedBySiloRouters, router.Route, EdgeReadInterval, time, logger);

    /// <summary>Picks a backend for one handshake and counts the connection there (or says why none can take it).</summary>
    public async ValueTask<RouteResult> RouteAsync(RouteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        await CatchUpAsync(request.KnownVersion, StaleAfter, readAhead: true);
        var search = new Search(request);
        while (true)
        {
            Step step;
            lock (_gate)
            {
                step = Decide(ref search);
            }

            if (step.Elsewhere)
            {
                return await _routeElsewhere(request);
            }

            if (step.CountAt is { } admittedAt && step.Admitted is { } admitted)
            {
                _ = SendAdmittedAsync(admittedAt, admitted);
            }

            if (step.Ask is not { } asked)
            {
                return step.Result;
            }

            var (routed, refused) = await TryReserveAsync(asked, request.EdgeId, step.Bound);
            if (routed is { } result)
            {
                return result;
            }

            // The backend grain knew better than this view (full, drained, unhealthy or removed): the next best one.
            (search.RefusedNow ??= []).Add(asked.Id);
            search.Refusal = Max(search.Refusal, refused);
        }
    }

    /// <summary>The view, read first when it is older than the read interval or than <paramref name="knownVersion"/>: for edges that route by it.</summary>
    public async ValueTask<RouterView> ViewAsync(int knownVersion)
    {
        await CatchUpAsync(knownVersion, _readInterval, readAhead: false);
        lock (_gate)
        {
            return new RouterView(_routing, Stopwatch.GetElapsedTime(_readAt));
        }
    }

    private async ValueTask CatchUpAsync(int knownVersion, TimeSpan waitAfter, bool readAhead)
    {
        bool unknown;
        int version;
        TimeSpan age;
        lock (_gate)
        {
            unknown = _settings is null;
            version = _version;
            age = Stopwatch.GetElapsedTime(_readAt);
            _wantedVersion = Math.Max(_wantedVersion, knownVersion);
        }

        if (unknown || knownVersion > version || age >= waitAfter)
        {
            await _sharedRead.RunAsync();
            if (knownVersion > Volatile.Read(ref _version))
            {
                // The read under way had begun before the change this edge already serves: once more.
                await _sharedRead.RunAsync();
            }
        }
        else if (readAhead && age >= _readInterval)
        {
            _ = _sharedRead.RunAsync().ContinueWith(static read => _ = read.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The next step of one handshake's search, under the lock: an answer (a refusal, or a connection admitted here and
    /// to be counted at its backend grain), a capped backend to ask, or another router for a strategy decided there.
    /// </summary>
    private Step Decide(ref Search search)
    {
        if (_settings is null || _strategy is null)
        {
            return new Step(RouteResult.Refused(RouteOutcome.UnknownPool, 0));
        }

        if (_strategiesElsewhere.Contains(_strategy.Name))
        {
            return new Step(default) { Elsewhere = true };
        }

        var request = search.Request;
        if (!search.Started)
        {
            search.Started = true;
            UpdateRamps();
            if (request.Preferred is { } preferred && _membersById.TryGetValue(preferred, out var bound)
                && bound.Refusal(bound: true) is null && !IsExcluded(bound.Id, request.Excluded, null))
            {
                return Take(bound, request.EdgeId, isBound: true);
            }
        }

        _candidates.Clear();
        foreach (var member in _members)
        {
            if (IsExcluded(member.Id, request.Excluded, search.RefusedNow))
            {
                continue;
            }

            if (member.Refusal(bound: false) is { } reason)
            {
                search.Refusal = Max(search.Refusal, reason);
            }
            else
            {
                _candidates.Add(member.Entry);
            }
        }

        return _candidates.Count == 0
            ? new Step(RouteResult.Refused(search.Refusal, _version))
            : Take(_membersById[_strategy.Pick(request.Key, _candidates).Id], request.EdgeId, isBound: false);
    }

    /// <summary>Admits the connection at <paramref name="member"/> here when it has no cap; otherwise it is to be asked.</summary>
    private Step Take(RouterMember member, string edgeId, bool isBound)
    {
        if (!member.AdmitsAlone)
        {
            member.Asking();
            return new Step(default) { Ask = member, Bound = isBound };
        }

        var reservation = member.Admit(edgeId);
        _ownAdmitted++;
        var routed = new RouteResult(RouteOutcome.Routed, member.Id, member.View.Settings.Address, _version, reservation);

        // One count under way per backend: what is admitted meanwhile goes with the next.
        return member.Sending ? new Step(routed) : new Step(routed) { CountAt = member, Admitted = member.TakeUnsent() };
    }

    /// <summary>Asks <paramref name="member"/>'s backend grain to admit the connection: the route, or why it would not.</summary>
    private async Task<(RouteResult? Routed, RouteOutcome Refused)> TryReserveAsync(RouterMember member, string edgeId, bool isBound)
    {
        BackendAdmission? admission = null;
        try
        {
            admission = await member.Grain.TryReserve(edgeId, isBound);
        }
        finally
        {
            lock (_gate)
            {
                member.Answered(admission?.View);
            }
        }

        if (admission.Refusal is { } refused)
        {
            return (null, refused);
        }

        lock (_gate)
        {
            return (new RouteResult(RouteOutcome.Routed, member.Id, admission.View.Settings.Address, _version, admission.Reservation), RouteOutcome.Routed);
        }
    }

    /// <summary>Counts what was admitted alone at <paramref name="member"/> at its backend grain, one call at a time, until nothing is left.</summary>
    private async Task SendAdmittedAsync(RouterMember member, ImmutableArray<AdmittedConnections> admitted)
    {
        while (!admitted.IsEmpty)
        {
            BackendView? view = null;
            try
            {
                view = await member.Grain.CountAdmitted(admitted);
            }
            catch (Exception e)
            {
                // The edges hold these connections and count them in their next reports, within a heartbeat.
                Log.AdmittedNotCounted(_logger, _settings?.Name ?? "", member.Id, admitted.Sum(a => a.Count), e.Message);
            }

            lock (_gate)
            {
                member.Sent(view);
                admitted = member.TakeUnsent();
            }
        }
    }

    private async Task ReadAsync()
    {
        // A view's age counts from when its read began, not ended: a change the pool grain made before that moment is
        // in it, which is what lets an admin change wait out the views (PoolGrain.RoutersCaughtUpAsync).
        var started = Stopwatch.GetTimestamp();
        var view = await _read(Volatile.Read(ref _wantedVersion));
        var readAt = started - (long)(view.Age.TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            // A read abandoned as lost may still answer, after a newer one: its view is the older.
            if (readAt > _readAt)
            {
                _readAt = readAt;
                Apply(view.Routing);
            }
        }
    }

    private void Apply(PoolRouting? routing)
    {
        _routing = routing;
        if (routing is null)
        {
            _settings = null;
            _strategy = null;
            _members.Clear();
            _membersById.Clear();
            return;
        }

        _share.Observe(_ownAdmitted, routing.Members.Sum(m => m.View.TotalConnections));

        if (_strategy is null || _settings is null || _settings.Strategy != routing.Settings.Strategy || _settings.Affinity != routing.Settings.Affinity)
        {
            _strategy = BalancingStrategies.Create(routing.Settings, _time);
        }

        _settings = routing.Settings;
        Volatile.Write(ref _version, routing.Version);
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
                known = new RouterMember(member.View, _grains.GetGrain<IBackendGrain>(BackendKey.Format(routing.Settings.Name, id)));
                _membersById.Add(id, known);
            }

            known.Ramp(member.RampStarted, _time.GetUtcNow(), routing.Settings.SlowStart);
            known.ScaleOwn(1 / _share.Share);
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

    /// <summary>One handshake's search so far: the backends that refused it now, and the weightiest reason given.</summary>
    private struct Search(RouteRequest request)
    {
        public RouteRequest Request { get; } = request;

        public bool Started { get; set; }

        public List<string>? RefusedNow { get; set; }

        public RouteOutcome Refusal { get; set; } = RouteOutcome.NoBackends;
    }

    /// <summary>
    /// What <see cref="Decide"/> found: the <see cref="Result"/> to answer with (and, when admitted here, what to count
    /// at the backend grain <see cref="CountAt"/> now, unless a count is already under way there); or the capped member
    /// to <see cref="Ask"/>; or that the pool is routed <see cref="Elsewhere"/>.
    /// </summary>
    private readonly record struct Step(RouteResult Result)
    {
        public RouterMember? Ask { get; init; }

        public RouterMember? CountAt { get; init; }

        public bool Bound { get; init; }

        public bool Elsewhere { get; init; }

        public ImmutableArray<AdmittedConnections>? Admitted { get; init; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Pools.AdmittedNotCounted, Level = LogLevel.Warning, Message = "Pool {Pool}: backend {Backend} did not take the count of {Count} connections admitted by a router or an edge ({Reason}); the edges' next reports count them")]
        public static partial void AdmittedNotCounted(ILogger logger, string pool, string backend, int count, string reason);
    }
}
