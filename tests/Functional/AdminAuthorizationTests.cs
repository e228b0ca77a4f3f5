using System.Net.Http.Headers;
using WsOrleans.Tests.Functional.Infrastructure;

namespace WsOrleans.Tests.Functional;

/// <summary>Every route that changes the cluster needs the ApiKey as a bearer token; refusals change nothing.</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminAuthorizationTests(AdminFixture fixture)
{
    public static TheoryData<string, string, string?> Changes => new()
    {
        { "PUT", "/pools/refusals/backends/z", """{ "address": "ws://127.0.0.1:1" }""" },
        { "DELETE", "/pools/refusals/backends/a?force=true", null },
        { "POST", "/pools/refusals/backends/a/drain", null },
        { "POST", "/pools/refusals/backends/a/undrain", null },
        { "PUT", "/pools/refusals/strategy", """{ "strategy": "RoundRobin" }""" },

        // Credentials come first: an unknown pool does not tell a stranger it does not exist.
        { "POST", "/pools/nowhere/backends/a/drain", null },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Change_WithoutAuthorization_Is401WithBearerChallenge(string method, string path, string? json)
    {
        var before = await fixture.First.PoolAsync("refusals");

        var response = await fixture.AdminOf(fixture.First, apiKey: null).SendAsync(new HttpMethod(method), path, json);

        Assert.Equal(401, response.Code);
        Assert.Contains("Authorization: Bearer", response.Detail);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        await AssertUnchanged(before);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Change_WithAnotherKey_Is403(string method, string path, string? json)
    {
        var before = await fixture.First.PoolAsync("refusals");

        var response = await fixture.AdminOf(fixture.First, apiKey: AdminFixture.ApiKey + "x").SendAsync(new HttpMethod(method), path, json);

        Assert.Equal(403, response.Code);
        Assert.Contains("not this edge's WsOrleans:Management:ApiKey", response.Detail);
        await AssertUnchanged(before);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Token test-admin-key-8c1f")]
    public async Task Change_WithAnotherScheme_Is401(string authorization)
    {
        var response = await fixture.AdminOf(fixture.First, apiKey: null).SendAsync(
            HttpMethod.Post,
            "/pools/refusals/backends/a/drain",
            configure: r => r.Headers.TryAddWithoutValidation("Authorization", authorization));

        Assert.Equal(401, response.Code);
        await AssertUnchanged(await fixture.First.PoolAsync("refusals"));
    }

    [Fact]
    public async Task Change_WithTheKeyInAnyCaseOfScheme_IsTaken()
    {
        var response = await fixture.AdminOf(fixture.Second, apiKey: null).SendAsync(
            HttpMethod.Post,
            "/pools/refusals/backends/b/undrain",
            configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("bearer", AdminFixture.ApiKey));

        Assert.Equal(200, response.Code);
    }

    private async Task AssertUnchanged(PoolStatusView before)
    {
        var after = await fixture.Second.PoolAsync("refusals");
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Backends.Select(b => (b.Id, b.Address, b.Weight, b.AdminState)), after.Backends.Select(b => (b.Id, b.Address, b.Weight, b.AdminState)));
    }
}
