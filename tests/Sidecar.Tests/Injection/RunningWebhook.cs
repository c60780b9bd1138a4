using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Injection;

namespace Sidecar.Tests.Injection;

/// <summary>A started webhook server on a loopback port with a fresh self-signed pair in its own directory, all
/// of it gone on dispose.</summary>
internal sealed class RunningWebhook : IAsyncDisposable
{
    private readonly string _dir;
    private readonly ServingCertificate _certificate;

    public RunningWebhook(TimeProvider time, int maxRequestsPerConnection = WebhookServer.MaxRequestsPerConnection)
    {
        _dir = Directory.CreateTempSubdirectory("inject-webhook-").FullName;
        var (cert, key) = (Path.Combine(_dir, "tls.crt"), Path.Combine(_dir, "tls.key"));
        ServingPairs.Write(cert, key, "webhook");
        _certificate = new ServingCertificate(cert, key, TimeProvider.System, _ => { });
        Server = new WebhookServer(new IPEndPoint(IPAddress.Loopback, 0), _certificate, new AdmissionHandler(new InjectorOptions()),
            time, NullLogger.Instance, maxRequestsPerConnection: maxRequestsPerConnection);
        Server.Start();
    }

    public WebhookServer Server { get; }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
