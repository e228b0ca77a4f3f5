using Microsoft.AspNetCore.Http;
using WsOrleans.Edge.Forwarding;
using WsOrleans.Pools;
using WsOrleans.Routing;

namespace WsOrleans.Tests.Unit.Forwarding;

/// <summary>
/// The retry loop: a backend that failed before anything reached the client is left out of the next routing call,
/// the last attempt answers the client whatever happens, and a client that left is not retried for.
/// </summary>
public sealed class ForwardAttemptsTests
{
    private readonly FakeCluster _cluster = new("WsOrleans:Edge:RouteAttempts=3");
    private readonly RecordingForwarder _forwarder = new();
    private readonly DefaultHttpContext _context = new() { Response = { Body = new MemoryStream() } };

    [Fact]
    public async Task FailedBackend_IsLeftOutOfTheNextCall_AndTheNextOneAnswers()
    {
        _cluster.Answer(RouteOutcome.Routed, "b1");
        _cluster.Answer(RouteOutcome.Routed, "b2");
        _forwarder.Fail("b1", new ForwardFailure(StatusCodes.Status502BadGateway, "connection refused"), setsHeader: true);

        Assert.True(await RunAsync());

        Assert.Equal(["b1", "b2"], _forwarder.Calls.Select(c => c.BackendId));
        Assert.Equal([null, ["b1"]], _cluster.Requests.Select(r => r.Excluded));
        Assert.False(_context.Response.Headers.ContainsKey(RecordingForwarder.Header), "the failed attempt's response was not cleared");
    }

    [Fact]
    public async Task LastAttempt_IsNotRetryable_SoItsBackendAnswersTheClient()
    {
        foreach (var backend in new[] { "b1", "b2", "b3" })
        {
            _cluster.Answer(RouteOutcome.Routed, backend);
            _forwarder.Fail(backend, new ForwardFailure(StatusCodes.Status504GatewayTimeout, "no answer"));
        }

        Assert.True(await RunAsync());

        Assert.Equal([true, true, false], _forwarder.Calls.Select(c => c.Retryable));
        Assert.Equal([null, ["b1"], ["b1", "b2"]], _cluster.Requests.Select(r => r.Excluded));
    }

    [Fact]
    public async Task NoOtherBackend_AfterAFailure_AnswersTheFailuresStatus()
    {
        _cluster.Answer(RouteOutcome.Routed, "b1");
        _cluster.Answer(RouteOutcome.AllUnavailable);
        _forwarder.Fail("b1", new ForwardFailure(StatusCodes.Status502BadGateway, "connection refused"));

        Assert.False(await RunAsync());

        Assert.Equal(StatusCodes.Status502BadGateway, _context.Response.StatusCode);
        Assert.Contains("(connection refused) and no other backend of pool 'chat' can take it: every backend is draining", Body());
    }

    [Fact]
    public async Task Refused_BeforeAnyBackend_Is503WithRetryAfter_AndForwardsNothing()
    {
        _cluster.Answer(RouteOutcome.AllFull);

        Assert.False(await RunAsync());

        Assert.Empty(_forwarder.Calls);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, _context.Response.StatusCode);
        Assert.Equal("5", _context.Response.Headers.RetryAfter);
        Assert.Contains("every backend is at its connection limit", Body());
    }

    [Fact]
    public async Task ClientLeft_AfterAFailure_IsNotRetried()
    {
        using var left = new CancellationTokenSource();
        _context.RequestAborted = left.Token;
        _cluster.Answer(RouteOutcome.Routed, "b1");
        _forwarder.Fail("b1", new ForwardFailure(StatusCodes.Status502BadGateway, "connection reset"), whileFailing: left.Cancel);

        Assert.False(await RunAsync());

        Assert.Single(_forwarder.Calls);
        Assert.Single(_cluster.Requests);
    }

    private Task<bool> RunAsync() => _cluster.Attempts.RunAsync(_context, _cluster.Route, handshake: true, _forwarder);

    private string Body() => System.Text.Encoding.UTF8.GetString(((MemoryStream)_context.Response.Body).ToArray());

    /// <summary>Records each forward; fails those the test names (while another try is allowed), succeeds the rest.</summary>
    private sealed class RecordingForwarder : IBackendForwarder
    {
        public const string Header = "X-Attempt";

        private readonly Dictionary<string, (ForwardFailure Failure, bool SetsHeader, Action? WhileFailing)> _failures = [];

        public List<(string BackendId, bool Retryable)> Calls { get; } = [];

        public void Fail(string backendId, ForwardFailure failure, bool setsHeader = false, Action? whileFailing = null) =>
            _failures[backendId] = (failure, setsHeader, whileFailing);

        public Task<ForwardFailure?> ForwardAsync(HttpContext context, PoolRoute pool, string backendId, string address, ReservationMark? reservation, bool retryable)
        {
            Calls.Add((backendId, retryable));
            if (!retryable || !_failures.TryGetValue(backendId, out var failing))
            {
                context.Response.StatusCode = StatusCodes.Status101SwitchingProtocols;
                return Task.FromResult<ForwardFailure?>(null);
            }

            if (failing.SetsHeader)
            {
                context.Response.Headers[Header] = backendId;
            }

            failing.WhileFailing?.Invoke();
            return Task.FromResult<ForwardFailure?>(failing.Failure);
        }
    }
}
