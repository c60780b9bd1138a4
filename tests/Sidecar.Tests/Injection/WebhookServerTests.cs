using System.Net;
using System.Net.Security;
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
    private readonly FakeTimeProvider _certificateTime = new(DateTimeOffset.UtcNow);
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
        _client = NewClient();
    }

    /// <summary>A client with its own connection pool (a new client means a new connection and handshake).</summary>
    private HttpClient NewClient()
    {
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
        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{_server.LocalEndPoint.Port}"), Timeout = TimeSpan.FromSeconds(30) };
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

    private void WritePair(string commonName, DateTime modified) => ServingPairs.Write(CertFile, KeyFile, commonName, modified);

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
        using var fresh = NewClient(); // the first client would reuse its kept-alive connection
        using var response = await fresh.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CN=webhook-2", _seenSubject);
    }

    [Fact]
    public async Task Readyz_CertificateExpired_ServiceUnavailableSayingWhen()
    {
        _certificateTime.Advance(TimeSpan.FromDays(2)); // the pair is valid for a day

        using var response = await _client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("expired at", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_PlainTextClientInsteadOfTls_HandshakeFailureCountedAndServerServes()
    {
        using (var plain = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
        {
            // A hostile or misconfigured client: HTTP where TLS is expected.
            await plain.ConnectAsync(_server.LocalEndPoint);
            await plain.SendAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var buffer = new byte[512];
            while (await plain.ReceiveAsync(buffer) > 0)
            {
            }
        }

        await Support.Eventually.TrueAsync(() => _server.Admissions.TlsHandshakeFailures.Value == 1, "the failed handshake counted");
        using var response = await _client.GetAsync("/metrics");
        Assert.Contains("sidecar_inject_tls_handshake_failures_total 1\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
