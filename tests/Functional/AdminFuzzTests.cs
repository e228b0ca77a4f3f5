using System.Text;

namespace WsOrleans.Tests.Functional;

/// <summary>Random and hostile bodies sent to the admin API: each is refused with a 4xx, and the pool is exactly as before.</summary>
[Collection(AdminCollection.Name)]
public sealed class AdminFuzzTests(AdminFixture fixture)
{
    private const string ValidBackend = """{ "address": "ws://127.0.0.1:1", "weight": 2, "maxConnections": 3 }""";

    private static readonly string[] Targets = ["/pools/fuzz/backends/a", "/pools/fuzz/backends/new", "/pools/fuzz/strategy"];

    private static readonly string[] WrongValues =
    [
        "5", "-1", "1e400", "3.5", "true", "false", "[]", "[1,2]", "{}", "{\"a\":1}", "\"\"", "\"ws://\"", "\"x\"",
        "\"tcp://127.0.0.1:1\"", "\"ws://127.0.0.1:99999\"", "\"ws://a b\"", "\"\\u0000\"", "\"99999999999999999999\"", "2147483648",
    ];

    private readonly CancellationToken _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task RandomBodies_AreRefusedWith4xx_AndChangeNothing()
    {
        var admin = fixture.AdminOf(fixture.First);
        var before = (await admin.GetAsync("/pools/fuzz", _timeout)).Body.GetRawText();
        var random = new Random(20261129);

        for (var i = 0; i < 200; i++)
        {
            var target = Targets[random.Next(Targets.Length)];
            var body = Body(random, target.EndsWith("/strategy", StringComparison.Ordinal));
            var response = await admin.SendAsync(HttpMethod.Put, target, body, cancellationToken: _timeout);

            Assert.True(response.Code is 400 or 413, $"PUT {target} with body #{i} {Shorten(body)} got {response}");
        }

        Assert.Equal(before, (await admin.GetAsync("/pools/fuzz", _timeout)).Body.GetRawText());
        Assert.Equal(before, (await fixture.AdminOf(fixture.Second).GetAsync("/pools/fuzz", _timeout)).Body.GetRawText());
    }

    /// <summary>A body that is wrong by construction: noise, broken or deep JSON, a wrong type in a good shape, or too big.</summary>
    private static string Body(Random random, bool strategy) => random.Next(7) switch
    {
        0 => Noise(random),
        1 => (strategy ? """{ "strategy": "Hash", "hashKey": "query:room" }""" : ValidBackend)[..random.Next(1, 40)],
        2 => new string('[', random.Next(9, 200)) + new string(']', random.Next(0, 3)),
        3 => strategy
            ? $$"""{ "strategy": {{Pick(random)}} }"""
            : $$"""{ "address": {{Pick(random)}}, "weight": 1 }""",
        4 => strategy
            ? $$"""{ "strategy": "Hash", "hashKey": {{Pick(random)}} }"""
            : $$"""{ "address": "ws://127.0.0.1:1", "{{(random.Next(2) == 0 ? "weight" : "maxConnections")}}": {{Pick(random)}} }""",
        5 => strategy
            ? """{ "strategy": "RoundRobin", "unknown": 1 }"""
            : """{ "address": "ws://127.0.0.1:1", "weigth": 2 }""",
        _ => "{ \"address\": \"" + new string('a', 70_000 + random.Next(1000)) + "\" }",
    };

    private static string Pick(Random random) => WrongValues[random.Next(WrongValues.Length)];

    private static string Noise(Random random)
    {
        var text = new StringBuilder();
        var length = random.Next(0, 300);
        for (var i = 0; i < length; i++)
        {
            text.Append((char)random.Next(1, 0x3000));
        }

        return text.ToString();
    }

    private static string Shorten(string body) => body.Length > 120 ? body[..120] + "…" : body;
}
