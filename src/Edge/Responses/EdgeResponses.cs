using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace WsOrleans.Edge.Responses;

/// <summary>The edge's own answers: a status code and one line of plain text that says what to do.</summary>
internal static class EdgeResponses
{
    public static Task WriteAsync(HttpContext context, int statusCode, string message, string? headerName = null, string? headerValue = null)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        if (headerName is not null)
        {
            response.Headers[headerName] = headerValue;
        }

        return response.WriteAsync(message + "\n", context.RequestAborted);
    }

    public static Task ServiceUnavailableAsync(HttpContext context, string message, TimeSpan retryAfter) =>
        WriteAsync(
            context,
            StatusCodes.Status503ServiceUnavailable,
            message,
            HeaderNames.RetryAfter,
            ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
}
