using System.Collections.Immutable;

namespace WsOrleans.Pools;

/// <inheritdoc cref="IPoolRegistryGrain"/>
[KeepAlive]
internal sealed class PoolRegistryGrain(
    [PersistentState("registry", StorageNames.Configuration)] IPersistentState<RegistryState> state)
    : Grain, IPoolRegistryGrain
{
    private ImmutableArray<PoolRoute> _routes = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _routes = Sorted();
        return Task.CompletedTask;
    }

    public async ValueTask Publish(PoolRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var owner = state.State.Routes.Values.FirstOrDefault(r => r.Path == route.Path && r.Name != route.Name);
        if (owner is not null)
        {
            throw new ArgumentException($"Pool '{route.Name}' cannot take path '{route.Path}': pool '{owner.Name}' already has it.", nameof(route));
        }

        if (state.State.Routes.TryGetValue(route.Name, out var current) && current == route)
        {
            return;
        }

        state.State.Routes[route.Name] = route;
        await state.WriteStateAsync();
        _routes = Sorted();
    }

    public ValueTask<ImmutableArray<PoolRoute>> GetRoutes() => ValueTask.FromResult(_routes);

    private ImmutableArray<PoolRoute> Sorted() => [.. state.State.Routes.Values.OrderBy(r => r.Name, StringComparer.Ordinal)];
}
