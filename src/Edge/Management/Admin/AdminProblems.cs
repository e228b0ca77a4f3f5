using Microsoft.AspNetCore.WebUtilities;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Management.Admin;

/// <summary>
/// The admin API's errors, as <c>application/problem+json</c> (RFC 9457): a <c>title</c> that is the
/// status's reason phrase, and a <c>detail</c> that says what was wrong, with which value, and what to do.
/// Field errors also list each field under <c>errors</c>, as ASP.NET Core's validation problems do.
/// </summary>
internal static class AdminProblems
{
    /// <summary>A problem with <paramref name="status"/> and <paramref name="detail"/>.</summary>
    public static IResult Status(int status, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: ReasonPhrases.GetReasonPhrase(status), extensions: extensions);

    /// <summary>A 400 naming each bad field: <c>detail</c> lists them as configuration errors do (<c>field = 'value': allowed</c>).</summary>
    public static IResult Invalid(IReadOnlyList<ConfigurationError> errors) => Fields(StatusCodes.Status400BadRequest, errors);

    /// <summary>A problem with <paramref name="status"/> about the fields <paramref name="errors"/> name.</summary>
    public static IResult Fields(int status, IReadOnlyList<ConfigurationError> errors, IDictionary<string, object?>? extensions = null) =>
        Results.ValidationProblem(
            errors.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Select(e => e.Allowed).ToArray()),
            detail: string.Join("; ", errors),
            statusCode: status,
            title: ReasonPhrases.GetReasonPhrase(status),
            extensions: extensions);

    public static IResult UnknownPool(string pool) =>
        Status(StatusCodes.Status404NotFound, $"The cluster has no pool '{pool}'; GET /pools lists the pools.");

    public static IResult UnknownBackend(string pool, string id) =>
        Status(StatusCodes.Status404NotFound, $"Pool '{pool}' has no backend '{id}'; GET /pools/{pool} lists its backends.");
}
