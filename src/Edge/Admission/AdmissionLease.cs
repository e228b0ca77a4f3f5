using WsOrleans.Admission;

namespace WsOrleans.Edge.Admission;

/// <summary>
/// A connection counted against its client address's cluster-wide cap. Released once, one-way, when the
/// connection ends: with the request, or, for a tunnel that outlives its request, by whoever took it over.
/// </summary>
internal sealed class AdmissionLease : IDisposable
{
    private readonly IClientAddressGrain _grain;
    private readonly string _edgeId;
    private int _released;

    public AdmissionLease(IClientAddressGrain grain, string edgeId)
    {
        _grain = grain;
        _edgeId = edgeId;
    }

    /// <summary>
    /// Moves the lease of <paramref name="context"/>'s connection (if it has one) to a tunnel that outlives the
    /// request: the request's end no longer releases it, the returned lease does.
    /// </summary>
    public static AdmissionLease? TakeOver(HttpContext context)
    {
        if (context.Features.Get<AdmissionLease>() is not { } lease || Interlocked.Exchange(ref lease._released, 1) != 0)
        {
            return null;
        }

        return new AdmissionLease(lease._grain, lease._edgeId);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _grain.Release(_edgeId).Forget();
        }
    }
}
