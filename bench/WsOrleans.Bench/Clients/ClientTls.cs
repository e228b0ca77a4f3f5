using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WsOrleans.Bench.Clients;

/// <summary>
/// How a run speaks TLS to <c>wss://</c> URLs: the system's protocols (TLS 1.3 when the server has it, else 1.2), a full
/// handshake on every connection, and the server's certificate validated with its host name, against the machine's
/// roots or, with <c>--tls-trust</c>, against exactly the certificates in that file. One instance per run, so what
/// one run trusts reaches no other.
/// </summary>
internal sealed class ClientTls
{
    private readonly X509Certificate2Collection? _trusted;
    private string? _negotiated;

    private ClientTls(X509Certificate2Collection? trusted) => _trusted = trusted;

    /// <summary>What the first connection negotiated, e.g. <c>Tls13 TLS_AES_256_GCM_SHA384</c>; null before one.</summary>
    public string? Negotiated => Volatile.Read(ref _negotiated);

    /// <summary>Trusts the machine's roots, or only the PEM certificates in <paramref name="trustedCertificates"/>.</summary>
    public static ClientTls Create(string? trustedCertificates)
    {
        if (trustedCertificates is null)
        {
            return new ClientTls(null);
        }

        var trusted = new X509Certificate2Collection();
        try
        {
            trusted.ImportFromPemFile(trustedCertificates);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new SetupException($"--tls-trust '{trustedCertificates}' could not be read: {exception.Message}", exception);
        }

        return trusted.Count > 0
            ? new ClientTls(trusted)
            : throw new SetupException($"--tls-trust '{trustedCertificates}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
    }

    /// <summary>Fresh options for one connection to <paramref name="url"/>.</summary>
    public SslClientAuthenticationOptions OptionsFor(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return new SslClientAuthenticationOptions
        {
            TargetHost = url.IdnHost,
            // No session is cached or offered: every connection costs the server a full handshake, as a new client does.
            AllowTlsResume = false,
            CertificateChainPolicy = ChainPolicy(),
        };
    }

    /// <summary>Keeps what the first connection negotiated, for the report.</summary>
    public void Record(SslStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (Negotiated is null)
        {
            Interlocked.CompareExchange(ref _negotiated, $"{stream.SslProtocol} {stream.NegotiatedCipherSuite}", null);
        }
    }

    // Null validates against the machine's roots. A custom root store trusts the given certificates and nothing else;
    // a self-signed server certificate is then its own root. Host names are checked either way.
    private X509ChainPolicy? ChainPolicy()
    {
        if (_trusted is null)
        {
            return null;
        }

        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(_trusted);
        return policy;
    }
}
