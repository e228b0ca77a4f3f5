namespace WsOrleans.Backends;

/// <summary>Builds and splits the key of a backend grain: <c>{pool}/{backendId}</c>.</summary>
public static class BackendKey
{
    public static string Format(string pool, string backendId) => $"{pool}/{backendId}";

    /// <summary>Splits a key made by <see cref="Format"/>; pool names cannot hold '/', backend ids can.</summary>
    public static (string Pool, string BackendId) Parse(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0)
        {
            throw new ArgumentException($"'{key}' is not a backend key of the form pool/backendId.", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }
}
