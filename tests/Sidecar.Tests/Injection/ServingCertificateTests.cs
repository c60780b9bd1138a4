using Microsoft.Extensions.Time.Testing;
using Sidecar.Injection;

namespace Sidecar.Tests.Injection;

public sealed class ServingCertificateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("inject-cert-").FullName;
    private string CertFile => Path.Combine(_dir, "tls.crt");
    private string KeyFile => Path.Combine(_dir, "tls.key");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void WritePair(string commonName, DateTime modified) => ServingPairs.Write(CertFile, KeyFile, commonName, modified);

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

    [Fact]
    public void Unusable_WithinValidity_Null()
    {
        ServingPairs.Write(CertFile, KeyFile, "now", notBefore: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), notAfter: new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        using var serving = new ServingCertificate(CertFile, KeyFile, new FakeTimeProvider(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)), _ => { });

        Assert.Null(serving.Unusable());
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), serving.NotAfter);
    }

    [Theory]
    [InlineData("2025-12-31T23:59:00Z", "not valid before 2026-01-01 00:00:00Z")]
    [InlineData("2026-04-01T00:00:00Z", "expired at 2026-04-01 00:00:00Z")]
    public void Unusable_OutsideValidity_SaysWhy(string now, string reason)
    {
        ServingPairs.Write(CertFile, KeyFile, "now", notBefore: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), notAfter: new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        using var serving = new ServingCertificate(CertFile, KeyFile, new FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)), _ => { });

        Assert.Contains(reason, serving.Unusable(), StringComparison.Ordinal);
    }
}
