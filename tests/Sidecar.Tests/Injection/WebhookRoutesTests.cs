using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Admin.Http;
using Sidecar.Injection;

namespace Sidecar.Tests.Injection;

public sealed class WebhookRoutesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("inject-routes-").FullName;
    private readonly ServingCertificate _certificate;

    public WebhookRoutesTests()
    {
        var (cert, key) = (Path.Combine(_dir, "tls.crt"), Path.Combine(_dir, "tls.key"));
        ServingPairs.Write(cert, key, "webhook");
        _certificate = new ServingCertificate(cert, key, TimeProvider.System, _ => { });
    }

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private WebhookRoutes Routes(bool accepting) => new(new AdmissionHandler(new InjectorOptions()), _certificate, () => accepting,
        new HttpConnectionCounters(), new InjectionCounters(), NullLogger.Instance);

    [Theory]
    [InlineData(true, 200)]
    [InlineData(false, 503)]
    public void Readyz_ListenerAcceptingOrNot_ReadyOnlyWhenAccepting(bool accepting, int status)
    {
        var response = Routes(accepting).AnswerWithoutBody(HttpParseStatus.Ok, new HttpRequestHead("GET", "/readyz"), 0);

        Assert.Equal(status, response?.Status);
    }

    [Fact]
    public void Healthz_ListenerNotAccepting_StillAlive()
    {
        // Liveness says the process works; only readiness takes the replica out of the Service.
        Assert.Equal(200, Routes(accepting: false).AnswerWithoutBody(HttpParseStatus.Ok, new HttpRequestHead("GET", "/healthz"), 0)?.Status);
    }

    [Theory]
    [InlineData("POST", "/mutate", 10, null)]
    [InlineData("POST", "/mutate", AdmissionHandler.MaxBodyBytes + 1, 413)]
    [InlineData("GET", "/mutate", 0, 405)]
    [InlineData("GET", "/nope", 0, 404)]
    public void AnswerWithoutBody_Admissions_ReadBodyOnlyWhenAcceptable(string method, string path, long length, int? status)
    {
        var parse = length > 0 ? HttpParseStatus.BodyNotAccepted : HttpParseStatus.Ok;

        Assert.Equal(status, Routes(accepting: true).AnswerWithoutBody(parse, new HttpRequestHead(method, path), length)?.Status);
    }
}
