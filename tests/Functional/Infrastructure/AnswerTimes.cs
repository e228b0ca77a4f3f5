namespace WsOrleans.Tests.Functional.Infrastructure;

/// <summary>
/// Round trips of the answered whoami / WhoAmI calls of a client run, whole milliseconds (all 0
/// when none was answered). A proxy that holds back a streamed response (SSE) shows here first.
/// </summary>
internal sealed record AnswerTimes(int P50, int P99, int Max);
