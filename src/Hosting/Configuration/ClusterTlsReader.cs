using Microsoft.Extensions.Configuration;
using WsOrleans.Security;

namespace WsOrleans.Hosting.Configuration;

/// <summary>Reads <c>WsOrleans:Cluster:Tls</c>: the files must exist and load now, not at the first connection.</summary>
internal static class ClusterTlsReader
{
    public static ClusterTlsSettings Read(ConfigValueReader reader, IConfigurationSection section)
    {
        reader.RejectUnknownKeys(section, "CertificatePath", "KeyPath", "CaFile");
        var tls = new ClusterTlsSettings
        {
            CertificatePath = PemCertificateRules.Path(section, "CertificatePath"),
            KeyPath = PemCertificateRules.Path(section, "KeyPath"),
            CaFile = PemCertificateRules.Path(section, "CaFile"),
        };

        if (tls.CertificatePath is null)
        {
            if (tls.KeyPath is not null || tls.CaFile is not null)
            {
                reader.Error($"{section.Path}:CertificatePath", null, "required when KeyPath or CaFile is set: this process's certificate, a PEM file");
            }

            return tls;
        }

        if (tls.CaFile is null)
        {
            reader.Error($"{section.Path}:CaFile", null, "required with a certificate: a PEM file of the CA certificates that sign every silo's and edge's certificate");
        }
        else if (CertificateAuthority.TryLoad(tls.CaFile, out _) is { } caError)
        {
            reader.Error(section.GetSection("CaFile"), caError);
        }

        PemCertificateRules.Check(reader, section, tls.CertificatePath, tls.KeyPath);
        return tls;
    }
}
