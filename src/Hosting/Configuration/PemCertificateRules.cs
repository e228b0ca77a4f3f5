using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using WsOrleans.Hosting.Security;

namespace WsOrleans.Hosting.Configuration;

/// <summary>A section's <c>CertificatePath</c> and <c>KeyPath</c> must load now, with a private key, not fail at the first connection.</summary>
internal static class PemCertificateRules
{
    public static void Check(ConfigValueReader reader, IConfigurationSection section, string certificatePath, string? keyPath)
    {
        try
        {
            using var certificate = PemCertificate.Load(certificatePath, keyPath);
            if (!certificate.HasPrivateKey)
            {
                reader.Error(section.GetSection("KeyPath"), "required: the certificate's private key, a PEM file (or put the key in the certificate's file)");
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            reader.Error(section.GetSection("CertificatePath"), $"must be a PEM certificate whose key is in KeyPath or in the same file ({e.Message})");
        }
    }

    /// <summary>A path setting, trimmed; null when unset or empty.</summary>
    public static string? Path(IConfigurationSection section, string key) => section[key] is { Length: > 0 } value ? value.Trim() : null;
}
