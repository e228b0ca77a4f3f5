namespace WsOrleans.Edge.Management.Admin;

/// <summary>
/// The admin API's handlers: each reads and checks its request, asks the grains, and turns the answer into HTTP.
/// </summary>
internal sealed class PoolAdmin(StatusReader reader)
{
    public async Task<IResult> GetPoolsAsync(CancellationToken cancellationToken) =>
        Results.Json(new PoolListDocument(await reader.ReadPoolsAsync(cancellationToken)), ManagementJson.Options);

    public async Task<IResult> GetPoolAsync(string pool, CancellationToken cancellationToken) =>
        await reader.ReadPoolAsync(pool, cancellationToken) is { } document
            ? Results.Json(document, ManagementJson.Options)
            : AdminProblems.UnknownPool(pool);

    public async Task<IResult> GetBackendAsync(string pool, string id, CancellationToken cancellationToken)
    {
        if (await reader.ReadPoolAsync(pool, cancellationToken) is not { } document)
        {
            return AdminProblems.UnknownPool(pool);
        }

        return document.Backends.FirstOrDefault(b => b.Id == id) is { } backend
            ? Results.Json(backend, ManagementJson.Options)
            : AdminProblems.UnknownBackend(pool, id);
    }
}
