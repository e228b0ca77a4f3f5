namespace WsOrleans.Bench.Clients;

/// <summary>The run cannot start at all: a host that does not resolve, a <c>--tls-trust</c> file that cannot be read.</summary>
internal sealed class SetupException(string message, Exception? innerException = null) : Exception(message, innerException);
