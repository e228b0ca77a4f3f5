namespace WsOrleans.Hosting.Configuration;

/// <summary>One bad configuration value: where it is, what it was and what is allowed.</summary>
public sealed record class ConfigurationError(string Key, string? Value, string Allowed)
{
    public override string ToString() =>
        Value is null ? $"{Key}: {Allowed}" : $"{Key} = '{Value}': {Allowed}";
}
