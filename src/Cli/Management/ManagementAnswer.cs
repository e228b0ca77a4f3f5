using System.Net;
using System.Text.Json;

namespace WsOrleans.Cli.Management;

/// <summary>An answer of the management listener: its status and reason phrase, media type and body (parsed when it is JSON).</summary>
internal sealed record class ManagementAnswer(HttpStatusCode Status, string Reason, string? MediaType, string Text, JsonElement? Json)
{
    public int Code => (int)Status;

    public bool IsSuccess => Code is >= 200 and < 300;

    public bool IsProblem => string.Equals(MediaType, "application/problem+json", StringComparison.OrdinalIgnoreCase) && Json is not null;

    /// <summary>The problem's <c>detail</c>, else its <c>title</c>; null when the answer is no problem document.</summary>
    public string? ProblemDetail =>
        !IsProblem ? null
        : Json!.Value.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString()
        : Json.Value.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString()
        : null;

    /// <summary>
    /// The JSON body of a successful answer, an object with <paramref name="property"/>. Anything else means the URL
    /// is not a management listener: a public listener forwards the request to a backend, which may answer JSON too.
    /// </summary>
    public JsonElement RequireJson(EdgeTarget target, string property) =>
        Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(property, out _) ? json : throw NotManagement(target, this);

    /// <summary>Throws the error a user should see for a failed answer; does nothing for a success.</summary>
    public void ThrowIfFailed(EdgeTarget target, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (IsSuccess)
        {
            return;
        }

        var status = $"{Code} {Reason}";
        var detail = ProblemDetail;
        if (Status == HttpStatusCode.Unauthorized)
        {
            throw new CommandFailedException(
                ExitCodes.Unauthorized,
                target.ApiKey is null
                    ? $"the edge at {target.Url} requires an API key for changes ({status}): pass --api-key or set {EdgeTarget.ApiKeyVariable} to its WsOrleans:Management:ApiKey."
                    : $"the edge at {target.Url} did not take the API key ({status}): {detail}");
        }

        if (Status == HttpStatusCode.Forbidden)
        {
            // Either the key is wrong or an edge without a key refuses this client; the edge's detail says which.
            throw new CommandFailedException(
                ExitCodes.Unauthorized,
                $"the edge at {target.Url} refused the change ({status}): {detail}"
                + (target.ApiKeySource is null ? "" : $" The key sent came from {target.ApiKeySource}."));
        }

        if (detail is null)
        {
            throw NotManagement(target, this);
        }

        throw new CommandFailedException(ExitCodes.Refused, hint is null ? $"{status}: {detail}" : $"{status}: {detail}{Environment.NewLine}{hint}");
    }

    private static CommandFailedException NotManagement(EdgeTarget target, ManagementAnswer answer) => new(
        ExitCodes.Unreachable,
        $"{target.Url} answered {answer.Code} {answer.Reason} with {answer.MediaType ?? "no body"}, not a WsOrleans problem or management document: "
        + $"is it an edge's management listener (WsOrleans:Management:Urls, default {EdgeTarget.DefaultUrl}) and not its public listener?");
}
