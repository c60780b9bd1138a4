using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Injection;

namespace Sidecar.Tests.Injection;

public sealed class ServingCertificateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("inject-cert-").FullName;
    private string CertFile => Path.Combine(_dir, "tls.crt");
    private string KeyFile => Path.Combine(_dir, "tls.key");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A self-signed serving pair written as cert-manager writes a Secret's tls.crt and tls.key.</summary>
    private void WritePair(string commonName, DateTime modified)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
        File.SetLastWriteTimeUtc(CertFile, modified);
        File.SetLastWriteTimeUtc(KeyFile, modified);
    }

    [Fact]
    public void Current_FilesRotated_ServesNewPairAfterCheckInterval()
    {
        WritePair("first", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var time = new FakeTimeProvider();
        using var serving = new ServingCertificate(CertFile, KeyFile, time, _ => { });
        Assert.Equal("CN=first", serving.Certificate.Subject);

        WritePair("second", new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal("CN=first", serving.Certificate.Subject); // not checked again within the interval
        time.Advance(ServingCertificate.CheckInterval);

        Assert.Equal("CN=second", serving.Certificate.Subject);
        Assert.Equal(1, serving.Reloads);
    }

    [Fact]
    public void Current_BrokenKeyWritten_KeepsServingPreviousPairAndReports()
    {
        WritePair("first", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var time = new FakeTimeProvider();
        var failures = new List<string>();
        using var serving = new ServingCertificate(CertFile, KeyFile, time, failures.Add);

        File.WriteAllText(KeyFile, "-----BEGIN PRIVATE KEY-----\nnot base64\n");
        time.Advance(ServingCertificate.CheckInterval);

        Assert.Equal("CN=first", serving.Certificate.Subject);
        Assert.Contains(KeyFile, Assert.Single(failures), StringComparison.Ordinal);
        Assert.Equal(0, serving.Reloads);
    }

    [Fact]
    public void Constructor_MissingFiles_ThrowsNamingTheFile()
    {
        var e = Assert.Throws<FormatException>(() => new ServingCertificate(CertFile, KeyFile, TimeProvider.System, _ => { }));

        Assert.Contains(CertFile, e.Message, StringComparison.Ordinal);
    }
}
