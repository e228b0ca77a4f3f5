using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WsOrleans.Balancing;

/// <summary>
/// Affinity keys bound to backend ids, each binding living for a sliding time to live after its
/// last use. Time is passed in rather than read, so the owner decides the clock and tests need no
/// sleeps. Expired bindings read as absent; <see cref="Sweep"/> reclaims their memory.
/// </summary>
internal sealed class AffinityTable
{
    private readonly Dictionary<string, Binding> _bindings = new(StringComparer.Ordinal);

    /// <param name="ttl">How long a binding lives after its last use; positive.</param>
    public AffinityTable(TimeSpan ttl)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        Ttl = ttl;
    }

    public TimeSpan Ttl { get; }

    /// <summary>The number of bindings held, including expired ones not yet swept.</summary>
    public int Count => _bindings.Count;

    /// <summary>Finds the live binding of <paramref name="key"/> and extends it by <see cref="Ttl"/> from <paramref name="now"/>.</summary>
    public bool TryGet(string key, DateTimeOffset now, out string backendId)
    {
        ArgumentNullException.ThrowIfNull(key);
        ref var binding = ref CollectionsMarshal.GetValueRefOrNullRef(_bindings, key);
        if (Unsafe.IsNullRef(ref binding))
        {
            backendId = string.Empty;
            return false;
        }

        if (binding.ExpiresAt <= now)
        {
            _bindings.Remove(key);
            backendId = string.Empty;
            return false;
        }

        binding.ExpiresAt = now + Ttl;
        backendId = binding.BackendId;
        return true;
    }

    /// <summary>Binds <paramref name="key"/> to <paramref name="backendId"/> until <see cref="Ttl"/> after <paramref name="now"/>, replacing any binding.</summary>
    public void Bind(string key, string backendId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(backendId);
        _bindings[key] = new Binding(backendId, now + Ttl);
    }

    /// <summary>Removes every binding expired at <paramref name="now"/>; returns how many.</summary>
    public int Sweep(DateTimeOffset now)
    {
        var removed = 0;
        foreach (var (key, binding) in _bindings)
        {
            if (binding.ExpiresAt <= now)
            {
                _bindings.Remove(key);
                removed++;
            }
        }

        return removed;
    }

    private struct Binding(string backendId, DateTimeOffset expiresAt)
    {
        public readonly string BackendId = backendId;
        public DateTimeOffset ExpiresAt = expiresAt;
    }
}
