namespace WsOrleans.Balancing;

/// <summary>
/// 64-bit string hashing that gives the same value in every process, machine and .NET version,
/// so that every silo maps a key to the same backend. <see cref="string.GetHashCode()"/> is
/// randomised per process and must never be used for this. The values are part of the routing
/// contract: changing the algorithm remaps every hashed key during a rolling upgrade.
/// </summary>
internal static class StableHash
{
    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>
    /// FNV-1a 64 over the UTF-16 code units of <paramref name="s"/> (low byte, then high byte),
    /// then the splitmix64 finalizer, because FNV alone mixes its high bits poorly.
    /// </summary>
    public static ulong Of(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var hash = FnvOffsetBasis;
        foreach (var c in s)
        {
            hash = unchecked((hash ^ (byte)c) * FnvPrime);
            hash = unchecked((hash ^ (byte)(c >> 8)) * FnvPrime);
        }

        return Finalize(hash);
    }

    /// <summary>
    /// Combines two hashes into one well-mixed value. Order matters:
    /// <c>Mix(a, b)</c> and <c>Mix(b, a)</c> differ.
    /// </summary>
    public static ulong Mix(ulong a, ulong b) => Finalize(a ^ Finalize(unchecked(b + GoldenGamma)));

    /// <summary>The splitmix64 finalizer: a bijection in which every input bit affects every output bit.</summary>
    private static ulong Finalize(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
