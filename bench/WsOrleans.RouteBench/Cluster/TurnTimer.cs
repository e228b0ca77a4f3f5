using System.Collections.Concurrent;
using System.Diagnostics;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.RouteBench.Cluster;

/// <summary>
/// Sums the time pool grains spend in turns, on every silo of the process (an incoming grain call filter around
/// each call): <c>Route</c> when they decide, and the pushes, status and routing reads that share the activation.
/// Divided by the measured window it is how busy the pool's one activation was; divided by the decisions, the
/// activation time each decision cost. A pool decided by one activation cannot route faster than one turn after
/// another, whatever the cores; with routers, what is left on it is what it still costs per decision. It also notes
/// which activations answered <c>Route</c> calls (routers, or the pool grain): how many decided. Timing can be turned
/// off (the filter's own cost); the count of deciders cannot.
/// </summary>
internal sealed class TurnTimer(bool enabled)
{
    private readonly ConcurrentDictionary<object, byte> _deciders = new(ReferenceEqualityComparer.Instance);
    private long _ticks;

    public bool Enabled => enabled;

    /// <summary>Stopwatch ticks spent in pool-grain turns so far.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>Activations (in any silo of this process) that answered a Route call since <see cref="ForgetDeciders"/>.</summary>
    public int Deciders => _deciders.Count;

    public void ForgetDeciders() => _deciders.Clear();

    public void AddTo(ISiloBuilder silo)
    {
        silo.AddIncomingGrainCallFilter(async context =>
        {
            if (context.Grain is IPoolRouterGrain or IPoolGrain && context.InterfaceMethod?.Name == nameof(IPoolRouterGrain.Route))
            {
                _deciders.TryAdd(context.Grain, 0);
            }

            if (!enabled || context.Grain is not IPoolGrain)
            {
                await context.Invoke();
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await context.Invoke();
            }
            finally
            {
                Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
            }
        });
    }
}
