using System.Net.Security;
using WsOrleans.Security;

namespace WsOrleans.Cli.Management;

/// <summary>How the CLI checks an https:// management listener's certificate when the system's roots are not the answer.</summary>
internal sealed class ListenerTrust
{
    private readonly CertificateAuthority? _authority;

    private ListenerTrust(CertificateAuthority? authority, string description)
    {
        _authority = authority;
        Description = description;
    }

    /// <summary><c>--insecure</c>: any certificate.</summary>
    public static ListenerTrust Anything { get; } = new(null, "--insecure");

    /// <summary>Whatever chains to the CA certificates of <c>--ca-file</c> (or <c>WSORLEANS_CA_FILE</c>) and names the host.</summary>
    public static ListenerTrust SignedBy(CertificateAuthority authority, string source) => new(authority, source);

    /// <summary>Where this trust came from, for messages.</summary>
    public string Description { get; }

    public RemoteCertificateValidationCallback Callback =>
        _authority is null ? (_, _, _, _) => true : (_, certificate, _, errors) => _authority.Accepts(certificate, errors, checkName: true);
}
