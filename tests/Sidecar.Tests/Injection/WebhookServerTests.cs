using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Injection;

namespace Sidecar.Tests.Injection;

/// <summary>The webhook end to end over loopback HTTPS, as the API server calls it (POST, application/json).</summary>
public sealed class WebhookServerTests : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("inject-https-").FullName;
    private readonly FakeTimeProvider _certificateTime = new();
    private readonly ServingCertificate _certificate;
    private readonly WebhookServer _server;
    private readonly HttpClient _client;
    private string? _seenSubject;

    public WebhookServerTests()
    {
        WritePair("webhook-1", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        _certificate = new ServingCertificate(CertFile, KeyFile, _certificateTime, _ => { });
        _server = new WebhookServer(new IPEndPoint(IPAddress.Loopback, 0), _certificate,
            new AdmissionHandler(new InjectorOptions()), TimeProvider.System, NullLogger.Instance);
        _server.Start();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Self-signed in the test: accept it, and remember which one the server presented.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    _seenSubject = certificate?.Subject;
                    return true;
                },
            },
        };
        _client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{_server.LocalEndPoint.Port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    private string CertFile => Path.Combine(_dir, "tls.crt");
    private string KeyFile => Path.Combine(_dir, "tls.key");

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private void WritePair(string commonName, DateTime modified)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
        File.SetLastWriteTimeUtc(CertFile, modified);
        File.SetLastWriteTimeUtc(KeyFile, modified);
    }

    private Task<HttpResponseMessage> PostAsync(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return _client.PostAsync(path, content);
    }

    [Fact]
    public async Task Mutate_AnnotatedPodOverHttps_ReturnsPatchThatInjects()
    {
        var pod = AdmissionReviews.Pod("""{"sidecar.kubeinfra.io/inject": "true", "sidecar.kubeinfra.io/mapped-services": "mysql.abc"}""");

        using var response = await PostAsync("/mutate", Encoding.UTF8.GetBytes(AdmissionReviews.PodCreate(pod, dryRun: true)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var review = AdmissionReviews.Response(await response.Content.ReadAsByteArrayAsync());
        var patched = AdmissionReviews.Patched(pod, review);
        Assert.Equal("sidecar", (string?)patched["spec"]!["initContainers"]![0]!["name"]);
        Assert.Equal("None", (string?)patched["spec"]!["dnsPolicy"]);
        Assert.Equal("CN=webhook-1", _seenSubject);
    }

    [Fact]
    public async Task MutateNamespace_PodWithoutAnnotation_Injected()
    {
        var pod = AdmissionReviews.Pod("""{}""");

        using var optIn = await PostAsync("/mutate", Encoding.UTF8.GetBytes(AdmissionReviews.PodCreate(pod)));
        using var optOut = await PostAsync("/mutate-namespace", Encoding.UTF8.GetBytes(AdmissionReviews.PodCreate(pod)));

        Assert.Null(AdmissionReviews.Response(await optIn.Content.ReadAsByteArrayAsync())["patch"]);
        Assert.NotNull(AdmissionReviews.Response(await optOut.Content.ReadAsByteArrayAsync())["patch"]);
    }

    [Fact]
    public async Task Mutate_MalformedReview_BadRequestAndServerKeepsServing()
    {
        using var bad = await PostAsync("/mutate", "{\"apiVersion\": 5"u8.ToArray());
        using var health = await _client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Mutate_BodyOverLimit_ContentTooLarge()
    {
        using var response = await PostAsync("/mutate", new byte[AdmissionHandler.MaxBodyBytes + 1]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Probes_Get_Ok(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterAdmissions_CountsByVerdict()
    {
        var pod = AdmissionReviews.Pod("""{"sidecar.kubeinfra.io/inject": "true"}""");
        using (await PostAsync("/mutate", Encoding.UTF8.GetBytes(AdmissionReviews.PodCreate(pod))))
        using (await PostAsync("/mutate", "{"u8.ToArray()))
        {
        }

        using var response = await _client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("sidecar_inject_admissions_total{verdict=\"injected\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("sidecar_inject_admissions_total{verdict=\"malformed\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("sidecar_inject_admissions_total{verdict=\"denied\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutate_Get_MethodNotAllowed()
    {
        using var response = await _client.GetAsync("/mutate");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Handshake_CertificateRotatedOnDisk_NextConnectionGetsNewCertificate()
    {
        using (await _client.GetAsync("/healthz"))
        {
            Assert.Equal("CN=webhook-1", _seenSubject);
        }

        WritePair("webhook-2", new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        _certificateTime.Advance(ServingCertificate.CheckInterval);
        using var response = await _client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CN=webhook-2", _seenSubject);
    }
}
