using System.Text.Json;
using WsOrleans.Backends;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Management.Admin;

/// <summary>
/// The body of <c>PUT /pools/{pool}/backends/{id}</c>: <c>{ "address": "ws://…", "weight": 1, "maxConnections": 0 }</c>,
/// checked by the same rules as a backend in configuration. A PUT replaces the backend's settings:
/// an omitted weight is 1 and an omitted cap is 0 (none), as in configuration.
/// </summary>
internal static class BackendRequest
{
    public const string Address = "address";
    public const string Weight = "weight";
    public const string MaxConnections = "maxConnections";

    /// <summary>The backend <paramref name="body"/> describes, or null with <paramref name="errors"/> saying why.</summary>
    public static BackendSettings? Read(string id, JsonElement body, List<ConfigurationError> errors)
    {
        if (!BackendRules.IsId(id))
        {
            errors.Add(new("id", id, BackendRules.IdAllowed));
        }

        var fields = JsonFields.Read(body, "body", errors, Address, Weight, MaxConnections);
        if (!fields.IsObject)
        {
            return null;
        }

        var text = fields.String(Address, BackendRules.AddressAllowed);
        var address = BackendRules.ParseAddress(text);
        if (address is null && (text is not null || !fields.Has(Address)))
        {
            fields.Error(Address, text, BackendRules.AddressAllowed);
        }

        var weight = fields.Int(Weight, 1, BackendRules.MinWeight, BackendRules.MaxWeight);
        var maxConnections = fields.Int(MaxConnections, 0, 0, int.MaxValue);
        return errors.Count == 0 && address is not null
            ? new BackendSettings { Id = id, Address = BackendRules.Normalize(address), Weight = weight, MaxConnections = maxConnections }
            : null;
    }
}
