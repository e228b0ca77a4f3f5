using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>Calls an edge's admin API as curl would, optionally with a bearer key, and reads the answer.</summary>
internal sealed class AdminClient(Uri managementBase, string? apiKey)
{
    private static readonly HttpClient Http = new();

    /// <summary>Sends <paramref name="method"/> <paramref name="path"/> with <paramref name="json"/> as an application/json body.</summary>
    public async Task<AdminResponse> SendAsync(
        HttpMethod method,
        string path,
        string? json = null,
        Action<HttpRequestMessage>? configure = null,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(managementBase, path));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        configure?.Invoke(request);
        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new AdminResponse(
            response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(),
            response.Headers);
    }

    public Task<AdminResponse> PutBackendAsync(string pool, string id, string json, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"/pools/{pool}/backends/{id}", json, cancellationToken: cancellationToken);

    public Task<AdminResponse> DeleteBackendAsync(string pool, string id, string query = "", CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/pools/{pool}/backends/{id}{query}", cancellationToken: cancellationToken);

    public Task<AdminResponse> DrainAsync(string pool, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/pools/{pool}/backends/{id}/drain", cancellationToken: cancellationToken);

    public Task<AdminResponse> UndrainAsync(string pool, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/pools/{pool}/backends/{id}/undrain", cancellationToken: cancellationToken);

    public Task<AdminResponse> PutStrategyAsync(string pool, string json, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"/pools/{pool}/strategy", json, cancellationToken: cancellationToken);

    public Task<AdminResponse> GetAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken);
}

/// <summary>An admin API answer: status, media type, JSON body and headers.</summary>
internal sealed record class AdminResponse(HttpStatusCode Status, string? MediaType, JsonElement Body, HttpResponseHeaders Headers)
{
    public int Code => (int)Status;

    /// <summary>The problem's detail; fails unless the answer is application/problem+json.</summary>
    public string Detail
    {
        get
        {
            Assert.Equal("application/problem+json", MediaType);
            Assert.Equal(Code, Body.GetProperty("status").GetInt32());
            return Body.GetProperty("detail").GetString()!;
        }
    }

    /// <summary>The fields a validation problem names under <c>errors</c>.</summary>
    public IReadOnlyList<string> Fields =>
        Body.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(p => p.Name)] : [];

    public T As<T>() => Body.Deserialize<T>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    public override string ToString() => $"{Code} {Body}";
}
