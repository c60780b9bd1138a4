using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Text;
using Sidecar.Tests.Deploy;
using Sidecar.Tests.Support;
using Sidecar.Tests.Tunnels;

namespace Sidecar.Tests.Injection;

/// <summary>
/// The built executable (the apphost next to the tests) as `sidecar inject` with a generated self-signed pair on
/// loopback: a real AdmissionReview over HTTPS, the patch applied and checked as the example Pod is, then
/// SIGTERM with a kept-alive connection still open and a clean exit.
/// </summary>
public sealed class InjectProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Inject_RealProcessOverHttps_PatchesThenExitsCleanlyOnSigterm()
    {
        using var dir = new TempDirectory();
        ServingPairs.Write(dir.File("tls.crt"), dir.File("tls.key"), "webhook");
        var port = FreePort.Tcp();
        await using var webhook = SidecarProcess.Start(
            ["inject", "--listen-addr", $"127.0.0.1:{port}", "--tls-cert-file", dir.File("tls.crt"), "--tls-key-file", dir.File("tls.key"),
             "--image", "registry.example/sidecar:9.9.9"]);
        Assert.True(await webhook.WaitForOutputAsync($"Injection webhook listening on https://127.0.0.1:{port}", Generous), webhook.Stdout + webhook.Stderr);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        })
        { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = Generous };
        var pod = AdmissionReviews.Pod("""{"sidecar.kubeinfra.io/inject": "true", "sidecar.kubeinfra.io/mapped-services": "mysql.abc"}""");

        using var response = await client.PostAsync("/mutate", new StringContent(AdmissionReviews.PodCreate(pod, ns: "payments"), Encoding.UTF8, "application/json"));
        var review = AdmissionReviews.Response(await response.Content.ReadAsByteArrayAsync());
        using var ready = await client.GetAsync("/readyz"); // on the same kept-alive connection

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var patched = AdmissionReviews.Patched(pod, review);
        patched["metadata"]!["namespace"] = "payments";
        Assert.Equal("registry.example/sidecar:9.9.9", (string?)patched["spec"]!["initContainers"]![0]!["image"]);
        Assert.Empty(SidecarPodCheck.Problems(patched));

        // The client's pooled connection is still open: shutdown must not wait for its idle timeout.
        var stopping = Stopwatch.StartNew();
        webhook.Signal(SidecarProcess.SIGTERM);
        var exitCode = await webhook.WaitForExitAsync(Generous);

        Assert.Equal(0, exitCode);
        Assert.True(stopping.Elapsed < WebhookServerIdleTimeoutFloor, $"shutdown took {stopping.Elapsed}");
        Assert.DoesNotContain("Unhandled exception", webhook.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Well under the webhook's 120 s idle timeout, and generous for a loaded machine.</summary>
    private static readonly TimeSpan WebhookServerIdleTimeoutFloor = TimeSpan.FromSeconds(25);
}
