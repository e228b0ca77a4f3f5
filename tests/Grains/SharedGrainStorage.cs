using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace WsOrleans.Tests.Grains;

/// <summary>
/// Grain storage that outlives any one silo of the in-process test cluster, as Redis outlives a
/// silo in production: state is kept serialized, outside the silos, so killing a silo loses no
/// configuration. Each cluster gets its own store.
/// </summary>
internal sealed class SharedGrainStorage(Serializer serializer, ConcurrentDictionary<string, (byte[] Data, string ETag)> store) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.TryGetValue(Key(stateName, grainId), out var entry))
        {
            grainState.State = serializer.Deserialize<T>(entry.Data);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = Guid.NewGuid().ToString("n");
        store[Key(stateName, grainId)] = (serializer.SerializeToArray(grainState.State), etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        store.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";
}
