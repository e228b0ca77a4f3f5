using System.Text.Json;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Management.Admin;

/// <summary>
/// The optional body of <c>POST /pools/{pool}/backends/{id}/drain</c>: <c>{ "closeWithin": "00:00:30" }</c> closes
/// the backend's open connections, spread evenly over that window; without a body they stay open.
/// </summary>
internal static class DrainRequest
{
    public const string CloseWithin = "closeWithin";

    /// <summary>The shortest and longest drain windows.</summary>
    public static readonly TimeSpan MinCloseWithin = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxCloseWithin = TimeSpan.FromDays(1);

    public static string CloseWithinAllowed { get; } = ValueRules.Duration(MinCloseWithin, MaxCloseWithin);

    /// <summary>The window <paramref name="body"/> asks for, or null with <paramref name="errors"/> saying why.</summary>
    public static TimeSpan? Read(JsonElement body, List<ConfigurationError> errors)
    {
        var fields = JsonFields.Read(body, "body", errors, CloseWithin);
        if (!fields.IsObject)
        {
            return null;
        }

        var text = fields.String(CloseWithin, CloseWithinAllowed);
        if (text is null)
        {
            if (!fields.Has(CloseWithin) && errors.Count == 0)
            {
                fields.Error(CloseWithin, null, $"required in a drain's body (or send no body for a drain that leaves open connections open): {CloseWithinAllowed}");
            }

            return null;
        }

        if (ValueRules.TryParseDuration(text, MinCloseWithin, MaxCloseWithin, out var window))
        {
            return window;
        }

        fields.Error(CloseWithin, text, CloseWithinAllowed);
        return null;
    }
}
