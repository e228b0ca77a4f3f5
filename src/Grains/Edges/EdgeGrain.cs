
namespace WsOrleans.Edges;

/// <inheritdoc cref="IEdgeGrain"/>
/// <remarks>
/// Memory state only: a lease describes a process that is alive now, and the edge renews it with every
/// heartbeat (several per lease time), so a grain lost with its silo is rebuilt by the next heartbeat.
/// The backend grains hold the connection counts and expire them on their own (docs/accounting.md).
/// </remarks>
internal sealed class EdgeGrain(TimeProvider time) : Grain, IEdgeGrain
{
    private IEdgeCommands? _commands;

    public async ValueTask Heartbeat(EdgeHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        _commands = heartbeat.Commands ?? _commands;
        var now = time.GetUtcNow();
        await Registry.Update(new EdgeStatus(
            this.GetPrimaryKeyString(),
            heartbeat.Address,
            now,
            now + heartbeat.LeaseTime,
            heartbeat.Backends.IsDefault ? [] : heartbeat.Backends));

        // Idle for longer than the lease: nothing left to keep.
        DelayDeactivation(heartbeat.LeaseTime);
    }

    public ValueTask Close(CloseOrder order)
    {
        // An order lost here (no registration since this grain's silo died) is planned again next round.
        _commands?.Close(order).Forget();
        return ValueTask.CompletedTask;
    }

    public async ValueTask Leave()
    {
        await Registry.Remove(this.GetPrimaryKeyString());
        DeactivateOnIdle();
    }

    private IEdgeRegistryGrain Registry => GrainFactory.GetGrain<IEdgeRegistryGrain>(0);
}
