namespace WsOrleans.Bench.Clients;

/// <summary>The run cannot start at all: a host that does not resolve, wss:// with the raw client.</summary>
internal sealed class SetupException(string message, Exception? innerException = null) : Exception(message, innerException);
