using System.Buffers;
using System.Text.Json;
using WsOrleans.Hosting.Configuration;

namespace WsOrleans.Edge.Management.Admin;

/// <summary>Reads an admin request's body as one JSON value: bounded, <c>application/json</c> only, nothing lenient.</summary>
internal static class JsonBody
{
    /// <summary>The largest body an admin request may have: 64 KiB, far more than any admin change needs.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    /// <summary>The body's JSON, or the problem (413, 415 or 400) that refuses it.</summary>
    public static async Task<(JsonElement Body, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            var given = string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType;
            return (default, AdminProblems.Status(
                StatusCodes.Status415UnsupportedMediaType,
                $"The body must be JSON sent with Content-Type: application/json; the Content-Type was {given}."));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (default, TooLarge($"this one is {request.ContentLength} bytes"));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var length = 0;
            while (length <= MaxBytes)
            {
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBytes + 1 - length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            if (length > MaxBytes)
            {
                return (default, TooLarge("this one is longer"));
            }

            if (length == 0)
            {
                return (default, AdminProblems.Invalid([new ConfigurationError("body", null, "must be a JSON object; the body was empty")]));
            }

            using var document = JsonDocument.Parse(buffer.AsMemory(0, length), Options);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, AdminProblems.Invalid([new ConfigurationError("body", null, $"must be valid JSON: {e.Message}")]));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult TooLarge(string size) => AdminProblems.Status(
        StatusCodes.Status413PayloadTooLarge,
        $"The body may be at most {MaxBytes} bytes; {size}.");
}
