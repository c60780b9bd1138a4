using System.Text;
using System.Text.Json.Nodes;
using Sidecar.Injection;

namespace Sidecar.Tests.Injection;

public sealed class AdmissionHandlerTests
{
    private static readonly AdmissionHandler Handler = new(new InjectorOptions { Image = "registry.example/sidecar:1.2.3", ClusterDns = "10.96.0.10" });

    private static (AdmissionResult Result, JsonObject Response, JsonNode Pod) Run(string pod, bool injectByDefault = false, AdmissionHandler? handler = null)
    {
        var result = (handler ?? Handler).Handle(Encoding.UTF8.GetBytes(AdmissionReviews.PodCreate(pod)), injectByDefault);
        Assert.Equal(200, result.StatusCode);
        var response = AdmissionReviews.Response(result.Body);
        Assert.Equal(AdmissionReviews.Uid, (string?)response["uid"]);
        return (result, response, AdmissionReviews.Patched(pod, response));
    }

    private static Dictionary<string, string> Env(JsonNode container) =>
        container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);

    [Fact]
    public void Handle_AnnotatedPodWithoutInitContainers_AddsNativeSidecarFirst()
    {
        var pod = AdmissionReviews.Pod("""{"sidecar.kubeinfra.io/inject": "true", "sidecar.kubeinfra.io/mapped-services": "mysql.abc,redis.abc:6380"}""");

        var (result, response, patched) = Run(pod);

        Assert.Equal(AdmissionVerdict.Injected, result.Verdict);
        Assert.True((bool)response["allowed"]!);
        var init = patched["spec"]!["initContainers"]!.AsArray();
        var sidecar = Assert.Single(init)!;
        Assert.Equal("sidecar", (string?)sidecar["name"]);
        Assert.Equal("registry.example/sidecar:1.2.3", (string?)sidecar["image"]);
        Assert.Equal("Always", (string?)sidecar["restartPolicy"]);
        Assert.Equal("/readyz", (string?)sidecar["startupProbe"]!["httpGet"]!["path"]);
        Assert.Equal(9901, (int)sidecar["startupProbe"]!["httpGet"]!["port"]!);
        var env = Env(sidecar);
        Assert.Equal("mysql.abc,redis.abc:6380", env["SIDECAR_MAPPED_SERVICES"]);
        Assert.Equal("127.1.0.0/24", env["SIDECAR_IP_RANGE"]);
        Assert.Equal("forward", env["SIDECAR_DNS_MISS"]);
        Assert.Equal("10.96.0.10", env["SIDECAR_DNS_UPSTREAM"]);
        Assert.Equal("payments.svc.cluster.local,svc.cluster.local,cluster.local", env["SIDECAR_DNS_SEARCH"]);
        // The app container is untouched and still the only one.
        Assert.Equal("app", (string?)Assert.Single(patched["spec"]!["containers"]!.AsArray())!["name"]);
        Assert.Equal("injected", (string?)patched["metadata"]!["annotations"]!["sidecar.kubeinfra.io/status"]);
        // The state volume the container mounts exists.
        var mount = (string?)sidecar["volumeMounts"]![0]!["name"];
        Assert.Contains(patched["spec"]!["volumes"]!.AsArray(), v => (string?)v!["name"] == mount);
    }

    [Fact]
    public void Handle_AnnotatedPod_SetsDnsPolicyNoneWithNamespaceSearches()
    {
        var pod = AdmissionReviews.Pod("""{"sidecar.kubeinfra.io/inject": "true"}""");

        var (_, _, patched) = Run(pod);

        Assert.Equal("None", (string?)patched["spec"]!["dnsPolicy"]);
        var dns = patched["spec"]!["dnsConfig"]!;
        Assert.Equal(["127.0.0.2"], dns["nameservers"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["payments.svc.cluster.local", "svc.cluster.local", "cluster.local"], dns["searches"]!.AsArray().Select(n => (string)n!));
        var ndots = Assert.Single(dns["options"]!.AsArray())!;
        Assert.Equal("ndots", (string?)ndots["name"]);
        Assert.Equal("5", (string?)ndots["value"]);
    }

    [Fact]
    public void Handle_PodWithInitContainersAndDnsConfig_PutsSidecarFirstAndKeepsTheRest()
    {
        var pod = AdmissionReviews.Pod("""{"sidecar.kubeinfra.io/inject": "true"}""", """
            "initContainers": [{"name": "migrate", "image": "migrate:1"}],
            "volumes": [{"name": "data", "emptyDir": {}}],
            "dnsConfig": {"nameservers": ["10.0.0.53", "10.0.0.54", "10.0.0.55"], "searches": ["corp.example"], "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]},
            """);

        var (_, _, patched) = Run(pod);

        var spec = patched["spec"]!;
        Assert.Equal(["sidecar", "migrate"], spec["initContainers"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal(["data", "sidecar-state"], spec["volumes"]!.AsArray().Select(c => (string)c!["name"]!));
        var dns = spec["dnsConfig"]!;
        // The sidecar first; Kubernetes allows three, so the Pod's last one gives way.
        Assert.Equal(["127.0.0.2", "10.0.0.53", "10.0.0.54"], dns["nameservers"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["payments.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example"], dns["searches"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["ndots", "edns0"], dns["options"]!.AsArray().Select(o => (string)o!["name"]!));
        Assert.Equal("5", (string?)dns["options"]![0]!["value"]);
    }

    [Fact]
    public void Handle_PodWithoutAnnotations_CreatesAnnotationsObjectWhenSelectedByNamespace()
    {
        var pod = AdmissionReviews.Pod("null");

        var (result, _, patched) = Run(pod, injectByDefault: true);

        Assert.Equal(AdmissionVerdict.Injected, result.Verdict);
        Assert.Equal("injected", (string?)patched["metadata"]!["annotations"]!["sidecar.kubeinfra.io/status"]);
    }

    [Theory]
    [InlineData("""{"other": "x"}""", false)]
    [InlineData("""{"sidecar.kubeinfra.io/inject": "false"}""", true)]
    public void Handle_PodNotSelected_AllowedUnchanged(string annotations, bool injectByDefault)
    {
        var (result, response, _) = Run(AdmissionReviews.Pod(annotations), injectByDefault);

        Assert.Equal(AdmissionVerdict.Skipped, result.Verdict);
        Assert.True((bool)response["allowed"]!);
        Assert.Null(response["patch"]);
    }

    [Fact]
    public void Handle_AlreadyInjectedPod_AllowedUnchanged()
    {
        var annotations = """{"sidecar.kubeinfra.io/inject": "true"}""";
        var (_, _, patched) = Run(AdmissionReviews.Pod(annotations));

        // Reinvocation (reinvocationPolicy: IfNeeded) sends the patched Pod again.
        var (result, response, again) = Run(patched.ToJsonString());

        Assert.Equal(AdmissionVerdict.Skipped, result.Verdict);
        Assert.Null(response["patch"]);
        Assert.Single(again["spec"]!["initContainers"]!.AsArray());
    }

    [Theory]
    [InlineData("sidecar.kubeinfra.io/ip-range", "127.1.0.0/33")]
    [InlineData("sidecar.kubeinfra.io/dns-miss", "maybe")]
    [InlineData("sidecar.kubeinfra.io/mapped-services", "not_a_name!")]
    [InlineData("sidecar.kubeinfra.io/inject", "yes")]
    public void Handle_BadAnnotationValue_DeniedNamingAnnotationAndValue(string key, string value)
    {
        var inject = key == InjectionSelection.InjectAnnotation ? "" : "\"sidecar.kubeinfra.io/inject\": \"true\", ";
        var pod = AdmissionReviews.Pod($$"""{{{inject}}"{{key}}": "{{value}}"}""");

        var (result, response, _) = Run(pod);

        Assert.Equal(AdmissionVerdict.Denied, result.Verdict);
        Assert.False((bool)response["allowed"]!);
        Assert.Null(response["patch"]);
        var message = (string)response["status"]!["message"]!;
        Assert.Contains(key, message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sidecar.kubeinfra.io/ip-ranges")]
    [InlineData("sidecar.kubeinfra.io/admin-addr")]
    public void Handle_UnknownOrReservedAnnotation_Denied(string key)
    {
        var pod = AdmissionReviews.Pod($$"""{"sidecar.kubeinfra.io/inject": "true", "{{key}}": "127.1.0.0/24"}""");

        var (_, response, _) = Run(pod);

        Assert.False((bool)response["allowed"]!);
        Assert.Contains(key, (string)response["status"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_BadAnnotationWithAllowOnError_AdmittedUnchangedWithWarning()
    {
        var handler = new AdmissionHandler(new InjectorOptions { AllowOnError = true });
        var pod = AdmissionReviews.Pod("""{"sidecar.kubeinfra.io/inject": "true", "sidecar.kubeinfra.io/dns-miss": "maybe"}""");

        var (result, response, _) = Run(pod, handler: handler);

        Assert.Equal(AdmissionVerdict.AllowedOnError, result.Verdict);
        Assert.True((bool)response["allowed"]!);
        Assert.Null(response["patch"]);
        Assert.Contains("sidecar.kubeinfra.io/dns-miss", (string)response["warnings"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Handle_AnnotationOverridesWebhookDefault_OneVariable()
    {
        var pod = AdmissionReviews.Pod("""{"sidecar.kubeinfra.io/inject": "true", "sidecar.kubeinfra.io/ip-range": "127.9.0.0/24", "sidecar.kubeinfra.io/dns-miss": "nxdomain"}""");

        var (_, _, patched) = Run(pod);

        var env = patched["spec"]!["initContainers"]![0]!["env"]!.AsArray();
        Assert.Single(env, e => (string?)e!["name"] == "SIDECAR_IP_RANGE");
        var values = Env(patched["spec"]!["initContainers"]![0]!);
        Assert.Equal("127.9.0.0/24", values["SIDECAR_IP_RANGE"]);
        Assert.Equal("nxdomain", values["SIDECAR_DNS_MISS"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {"uid": "x"}}""")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}""")]
    [InlineData("""{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "x", "object": {"spec": {"containers": 5}}}}""")]
    public void Handle_MalformedReview_BadRequest(string body)
    {
        var result = Handler.Handle(Encoding.UTF8.GetBytes(body), injectByDefault: false);

        Assert.Equal(400, result.StatusCode);
        Assert.Equal(AdmissionVerdict.Malformed, result.Verdict);
    }

    [Fact]
    public void Handle_DeeplyNestedBody_BadRequest()
    {
        var body = """{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "x", "object": {"metadata": {"x": """
            + string.Concat(Enumerable.Repeat("[", 10_000)) + string.Concat(Enumerable.Repeat("]", 10_000)) + "}}}}";

        Assert.Equal(400, Handler.Handle(Encoding.UTF8.GetBytes(body), injectByDefault: false).StatusCode);
    }

    [Fact]
    public void Handle_OversizedBody_BadRequest()
    {
        Assert.Equal(400, Handler.Handle(new byte[AdmissionHandler.MaxBodyBytes + 1], injectByDefault: false).StatusCode);
    }
}
