namespace WsOrleans.Edge.Forwarding;

/// <summary>Why a backend could not take a forwarded request, and the status the client gets if no other one can.</summary>
internal sealed record class ForwardFailure(int StatusCode, string Reason);
