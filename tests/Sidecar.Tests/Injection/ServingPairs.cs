using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sidecar.Tests.Injection;

/// <summary>Self-signed serving pairs written as cert-manager writes a Secret's tls.crt and tls.key (PEM, PKCS#8).</summary>
internal static class ServingPairs
{
    public static void Write(string certificateFile, string keyFile, string commonName, DateTime? modified = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddHours(-1), notAfter ?? DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        if (modified is { } time)
        {
            File.SetLastWriteTimeUtc(certificateFile, time);
            File.SetLastWriteTimeUtc(keyFile, time);
        }
    }
}
