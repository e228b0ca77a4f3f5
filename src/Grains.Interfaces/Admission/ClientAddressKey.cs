namespace WsOrleans.Admission;

/// <summary>The key of an <see cref="IClientAddressGrain"/>: <c>pool/address</c>.</summary>
public static class ClientAddressKey
{
    /// <summary>The grain key of <paramref name="address"/> in <paramref name="pool"/>.</summary>
    public static string Format(string pool, string address) => $"{pool}/{address}";
}
