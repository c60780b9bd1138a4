using System.Net.Security;
using System.Text;
using System.Text.Json.Nodes;
using Sidecar.Injection;
using Sidecar.Tests.Deploy;

namespace Sidecar.Tests.Injection;

/// <summary>
/// Issue 10's proof: the Pod the webhook patches passes the same checks as deploy/example-pod.yaml
/// (<see cref="SidecarPodCheck"/>). The app-only Pod is the example Pod with its hand-written sidecar parts
/// taken out and the annotations that ask for them put in.
/// </summary>
public sealed class PatchedPodChecksTests
{
    /// <summary>deploy/example-pod.yaml before injection: the app container only, the names asked for by annotation.</summary>
    private static string AppOnlyPod(bool keepInitContainer = false, bool withOwnDnsConfig = false)
    {
        var pod = DeployManifests.Single("deploy/example-pod.yaml", "Pod");
        var spec = pod["spec"]!.AsObject();
        var sidecar = spec["initContainers"]![0]!;
        var args = DeployManifests.Strings(sidecar["args"]);
        pod["metadata"]!["annotations"] = new JsonObject
        {
            ["sidecar.kubeinfra.io/inject"] = "true",
            ["sidecar.kubeinfra.io/mapped-services"] = args[Array.IndexOf(args, "--mapped-services") + 1],
        };
        spec.Remove("dnsPolicy");
        spec.Remove("dnsConfig");
        spec["securityContext"]!.AsObject().Remove("sysctls");
        spec["volumes"]!.AsArray().RemoveAt(0); // the sidecar's state volume
        spec.Remove("initContainers");
        if (keepInitContainer)
        {
            spec["initContainers"] = new JsonArray(new JsonObject { ["name"] = "migrate", ["image"] = "migrate:1" });
        }
        if (withOwnDnsConfig)
        {
            spec["dnsConfig"] = JsonNode.Parse("""{"nameservers": ["10.0.0.53"], "searches": ["corp.example"]}""");
        }
        return pod.ToJsonString();
    }

    private static JsonNode Patch(string pod, InjectorOptions options)
    {
        var result = new AdmissionHandler(options).Handle(Encoding.UTF8.GetBytes(AdmissionReviews.PodCreate(pod, ns: "default")), injectByDefault: false);
        Assert.Equal(AdmissionVerdict.Injected, result.Verdict);
        return AdmissionReviews.Patched(pod, AdmissionReviews.Response(result.Body));
    }

    [Fact]
    public void AppOnlyPod_BeforeInjection_FailsTheChecks()
    {
        Assert.NotEmpty(SidecarPodCheck.Problems(JsonNode.Parse(AppOnlyPod())!));
    }

    [Theory]
    [InlineData("capability", false, false)]
    [InlineData("sysctl", false, false)]
    [InlineData("both", false, false)]
    [InlineData("capability", true, true)]
    public void Patched_AppOnlyPod_PassesTheExamplePodsChecks(string port53, bool initContainer, bool ownDnsConfig)
    {
        var options = new InjectorOptions { Port53 = InjectSettingCatalog.Port53.Parse(port53) };

        var patched = Patch(AppOnlyPod(initContainer, ownDnsConfig), options);

        Assert.Empty(SidecarPodCheck.Problems(patched));
    }

    [Fact]
    public async Task Patched_OverHttpsFromTheRunningWebhook_PassesTheExamplePodsChecks()
    {
        await using var webhook = new RunningWebhook(TimeProvider.System);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        });
        var pod = AppOnlyPod();

        using var response = await client.PostAsync($"https://127.0.0.1:{webhook.Server.LocalEndPoint.Port}/mutate",
            new StringContent(AdmissionReviews.PodCreate(pod, ns: "default"), Encoding.UTF8, "application/json"));

        var patched = AdmissionReviews.Patched(pod, AdmissionReviews.Response(await response.Content.ReadAsByteArrayAsync()));
        Assert.Empty(SidecarPodCheck.Problems(patched));
    }
}
