namespace WsOrleans.Bench.Clients;

/// <summary>A failure the benchmark counts under <see cref="Kind"/> instead of crashing on it.</summary>
internal sealed class BenchException(string kind, string message) : Exception(message)
{
    /// <summary>The error kind as reported in the JSON, for example <c>http503</c> or <c>serverClose1001</c>.</summary>
    public string Kind { get; } = kind;
}
