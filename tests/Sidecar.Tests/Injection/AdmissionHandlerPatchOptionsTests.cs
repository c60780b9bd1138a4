using System.Text;
using System.Text.Json.Nodes;
using Sidecar.Injection;

namespace Sidecar.Tests.Injection;

/// <summary>The webhook's settings that shape the patch (port 53 access, resources), checked on the Pod after
/// the returned JSON Patch is applied.</summary>
public sealed class AdmissionHandlerPatchOptionsTests
{
    private const string Inject = """{"sidecar.kubeinfra.io/inject": "true"}""";

    private static (AdmissionResult Result, JsonObject Response, JsonNode Pod) Run(string pod, InjectorOptions options)
    {
        var result = new AdmissionHandler(options).Handle(Encoding.UTF8.GetBytes(AdmissionReviews.PodCreate(pod)), injectByDefault: false);
        var response = AdmissionReviews.Response(result.Body);
        return (result, response, AdmissionReviews.Patched(pod, response));
    }

    /// <summary>The test Pod with its spec.securityContext replaced (null: removed).</summary>
    private static string PodWithSecurityContext(string? securityContext, bool hostNetwork = false)
    {
        var pod = JsonNode.Parse(AdmissionReviews.Pod(Inject))!;
        var spec = pod["spec"]!.AsObject();
        spec.Remove("securityContext");
        if (securityContext is not null)
        {
            spec["securityContext"] = JsonNode.Parse(securityContext);
        }
        if (hostNetwork)
        {
            spec["hostNetwork"] = true;
        }
        return pod.ToJsonString();
    }

    private static JsonNode Sidecar(JsonNode pod) => pod["spec"]!["initContainers"]![0]!;

    private static string[] Strings(JsonNode? array) => array?.AsArray().Select(n => (string)n!).ToArray() ?? [];

    private static string[] PortSysctls(JsonNode pod) =>
        pod["spec"]!["securityContext"]?["sysctls"]?.AsArray().Where(s => (string?)s!["name"] == PodCompatibility.PortSysctl)
            .Select(s => (string)s!["value"]!).ToArray() ?? [];

    [Fact]
    public void Handle_DefaultOptions_CapabilityOnlyNoSysctlAndExampleResources()
    {
        var (_, _, patched) = Run(PodWithSecurityContext("{}"), new InjectorOptions());

        var sidecar = Sidecar(patched);
        Assert.Equal(["ALL"], Strings(sidecar["securityContext"]!["capabilities"]!["drop"]));
        Assert.Equal(["NET_BIND_SERVICE"], Strings(sidecar["securityContext"]!["capabilities"]!["add"]));
        Assert.Empty(PortSysctls(patched));
        Assert.Equal("""{"requests":{"cpu":"10m","memory":"32Mi"},"limits":{"memory":"64Mi"}}""", sidecar["resources"]!.ToJsonString());
        Assert.Equal("/readyz", (string?)sidecar["startupProbe"]!["httpGet"]!["path"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("""{"runAsNonRoot": true}""")]
    [InlineData("""{"sysctls": [{"name": "net.ipv4.tcp_syncookies", "value": "1"}]}""")]
    public void Handle_SysctlMode_AddsPortSysctlWhateverTheSecurityContextAndNoCapability(string? securityContext)
    {
        var (result, _, patched) = Run(PodWithSecurityContext(securityContext), new InjectorOptions { Port53 = Port53Access.Sysctl });

        Assert.Equal(AdmissionVerdict.Injected, result.Verdict);
        Assert.Equal(["53"], PortSysctls(patched));
        var capabilities = Sidecar(patched)["securityContext"]!["capabilities"]!;
        Assert.Equal(["ALL"], Strings(capabilities["drop"]));
        Assert.Null(capabilities["add"]);
        // What the Pod had is kept.
        if (securityContext?.Contains("tcp_syncookies", StringComparison.Ordinal) == true)
        {
            Assert.Contains(patched["spec"]!["securityContext"]!["sysctls"]!.AsArray(), s => (string?)s!["name"] == "net.ipv4.tcp_syncookies");
        }
        if (securityContext?.Contains("runAsNonRoot", StringComparison.Ordinal) == true)
        {
            Assert.True((bool)patched["spec"]!["securityContext"]!["runAsNonRoot"]!);
        }
    }

    [Fact]
    public void Handle_BothMode_SysctlAndCapability()
    {
        var (_, _, patched) = Run(PodWithSecurityContext("{}"), new InjectorOptions { Port53 = Port53Access.Both });

        Assert.Equal(["53"], PortSysctls(patched));
        Assert.Equal(["NET_BIND_SERVICE"], Strings(Sidecar(patched)["securityContext"]!["capabilities"]!["add"]));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("53")]
    public void Handle_SysctlModePodAlreadyAllowsPort53_KeptAsItIsNotDuplicated(string value)
    {
        var pod = PodWithSecurityContext($$"""{"sysctls": [{"name": "{{PodCompatibility.PortSysctl}}", "value": "{{value}}"}]}""");

        var (result, _, patched) = Run(pod, new InjectorOptions { Port53 = Port53Access.Sysctl });

        Assert.Equal(AdmissionVerdict.Injected, result.Verdict);
        Assert.Equal([value], PortSysctls(patched));
    }

    [Fact]
    public void Handle_SysctlModePodSetsHigherPortStart_DeniedNamingTheSysctl()
    {
        var pod = PodWithSecurityContext($$"""{"sysctls": [{"name": "{{PodCompatibility.PortSysctl}}", "value": "1024"}]}""");

        var (result, response, _) = Run(pod, new InjectorOptions { Port53 = Port53Access.Sysctl });

        Assert.Equal(AdmissionVerdict.Denied, result.Verdict);
        Assert.Contains($"{PodCompatibility.PortSysctl}=1024", (string)response["status"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_CapabilityModePodSetsHigherPortStart_InjectedAsTheCapabilitySuffices()
    {
        var pod = PodWithSecurityContext($$"""{"sysctls": [{"name": "{{PodCompatibility.PortSysctl}}", "value": "1024"}]}""");

        Assert.Equal(AdmissionVerdict.Injected, Run(pod, new InjectorOptions()).Result.Verdict);
    }

    [Fact]
    public void Handle_HostNetworkPod_DeniedSayingHowToOptOut()
    {
        var (result, response, _) = Run(PodWithSecurityContext("{}", hostNetwork: true), new InjectorOptions());

        Assert.Equal(AdmissionVerdict.Denied, result.Verdict);
        Assert.Contains("hostNetwork", (string)response["status"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_HostNetworkPodWithAllowOnError_AdmittedUnchanged()
    {
        var (result, response, _) = Run(PodWithSecurityContext("{}", hostNetwork: true), new InjectorOptions { AllowOnError = true });

        Assert.Equal(AdmissionVerdict.AllowedOnError, result.Verdict);
        Assert.Null(response["patch"]);
    }

    [Theory]
    [InlineData("50m", "48Mi", "500m", "128Mi", """{"requests":{"cpu":"50m","memory":"48Mi"},"limits":{"cpu":"500m","memory":"128Mi"}}""")]
    [InlineData(null, null, null, "64Mi", """{"limits":{"memory":"64Mi"}}""")]
    [InlineData(null, null, null, null, """{}""")]
    public void Handle_ConfiguredResources_WrittenAsConfiguredOmittingNone(string? cpuRequest, string? memoryRequest, string? cpuLimit,
        string? memoryLimit, string expected)
    {
        var options = new InjectorOptions { Resources = new SidecarResources(cpuRequest, memoryRequest, cpuLimit, memoryLimit) };

        var (_, _, patched) = Run(PodWithSecurityContext("{}"), options);

        Assert.Equal(expected, Sidecar(patched)["resources"]!.ToJsonString());
    }
}
