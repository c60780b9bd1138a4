using System.Text.Json.Nodes;
using Sidecar.Configuration;
using Sidecar.Injection;

namespace Sidecar.Tests.Deploy;

/// <summary>deploy/injector/*.yaml as issue 10 requires them, and consistent with each other and the webhook.</summary>
public sealed class InjectorManifestTests
{
    private const string Webhook = "deploy/injector/webhook.yaml";
    private const string Configuration = "deploy/injector/mutatingwebhook.yaml";
    private const string Certificate = "deploy/injector/certificate.yaml";
    private const string Rbac = "deploy/injector/rbac-injected-pods.yaml";

    private static JsonObject Deployment => DeployManifests.Single(Webhook, "Deployment");
    private static string InjectorNamespace => (string)Deployment["metadata"]!["namespace"]!;
    private static JsonArray Webhooks => DeployManifests.Single(Configuration, "MutatingWebhookConfiguration")["webhooks"]!.AsArray();
    private static Dictionary<string, string> TemplateLabels =>
        Deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
    private static JsonNode Injector => Deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;

    [Fact]
    public void Webhooks_Each_SideEffectsNoneFailClosedReinvokedBoundedInTime()
    {
        Assert.Equal(2, Webhooks.Count);
        foreach (var webhook in Webhooks)
        {
            Assert.Equal("None", (string?)webhook!["sideEffects"]);
            Assert.Equal("Fail", (string?)webhook["failurePolicy"]);
            Assert.Equal("IfNeeded", (string?)webhook["reinvocationPolicy"]);
            Assert.InRange((int)webhook["timeoutSeconds"]!, 1, 10); // the API server allows 1-30, default 10
            Assert.Contains("v1", DeployManifests.Strings(webhook["admissionReviewVersions"]));
            var rule = Assert.Single(webhook["rules"]!.AsArray())!;
            Assert.Equal(["CREATE"], DeployManifests.Strings(rule["operations"]));
            Assert.Equal(["pods"], DeployManifests.Strings(rule["resources"]));
        }
    }

    [Theory]
    [InlineData("kube-system", null, null)]
    [InlineData("sidecar-injector", null, null)]
    [InlineData("sidecar-injector", "enabled", null)]
    [InlineData("kube-system", "enabled", null)]
    [InlineData("payments", null, "/mutate")]
    [InlineData("payments", "disabled", "/mutate")]
    [InlineData("payments", "enabled", "/mutate-namespace")]
    public void NamespaceSelectors_ANamespace_SentToOnePathOrNone(string ns, string? injectLabel, string? expectedPath)
    {
        Assert.Equal("sidecar-injector", InjectorNamespace);
        var labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns };
        if (injectLabel is not null)
        {
            labels["sidecar.kubeinfra.io/inject"] = injectLabel;
        }

        var paths = Webhooks.Where(w => DeployManifests.Selects(w!["namespaceSelector"], labels))
            .Select(w => (string?)w!["clientConfig"]!["service"]!["path"]).ToArray();

        Assert.Equal(expectedPath is null ? [] : [expectedPath], paths);
    }

    [Fact]
    public void Webhooks_ClientConfig_NamesTheServiceAndItsPort()
    {
        var service = DeployManifests.Single(Webhook, "Service");
        foreach (var webhook in Webhooks)
        {
            var target = webhook!["clientConfig"]!["service"]!;
            Assert.Equal((string?)service["metadata"]!["name"], (string?)target["name"]);
            Assert.Equal((string?)service["metadata"]!["namespace"], (string?)target["namespace"]);
            Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (int?)p!["port"] == (int?)target["port"]);
        }
        // The Service reaches the injector's HTTPS port and selects its Pods.
        var port = service["spec"]!["ports"]![0]!;
        Assert.Contains(Injector["ports"]!.AsArray(), p => (string?)p!["name"] == (string?)port["targetPort"]);
        Assert.True(DeployManifests.Selects(new JsonObject { ["matchLabels"] = service["spec"]!["selector"]!.DeepClone() }, TemplateLabels));
    }

    [Fact]
    public void Configuration_CertManagerInjectCaFrom_NamesTheCertificate()
    {
        var certificate = DeployManifests.Single(Certificate, "Certificate");
        var annotation = (string?)DeployManifests.Single(Configuration, "MutatingWebhookConfiguration")["metadata"]!["annotations"]!["cert-manager.io/inject-ca-from"];

        Assert.Equal($"{certificate["metadata"]!["namespace"]}/{certificate["metadata"]!["name"]}", annotation);
        // The certificate is for the Service's DNS name, and its Secret is what the injector mounts.
        Assert.Contains($"sidecar-injector.{InjectorNamespace}.svc", DeployManifests.Strings(certificate["spec"]!["dnsNames"]));
        var volume = Deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => v!["secret"] is not null)!;
        Assert.Equal((string?)certificate["spec"]!["secretName"], (string?)volume["secret"]!["secretName"]);
    }

    [Fact]
    public void Deployment_TwoReplicasAntiAffinityAndDisruptionBudget()
    {
        Assert.Equal(2, (int)Deployment["spec"]!["replicas"]!);
        var affinity = Deployment["spec"]!["template"]!["spec"]!["affinity"]!["podAntiAffinity"]!;
        var term = (affinity["requiredDuringSchedulingIgnoredDuringExecution"]?[0] ?? affinity["preferredDuringSchedulingIgnoredDuringExecution"]![0]!["podAffinityTerm"])!;
        Assert.Equal("kubernetes.io/hostname", (string?)term["topologyKey"]);
        Assert.True(DeployManifests.Selects(term["labelSelector"], TemplateLabels), "the anti-affinity does not select the injector's own Pods");

        var budget = DeployManifests.Single(Webhook, "PodDisruptionBudget");
        Assert.Equal(InjectorNamespace, (string?)budget["metadata"]!["namespace"]);
        Assert.True(DeployManifests.Selects(budget["spec"]!["selector"], TemplateLabels), "the budget does not select the injector's Pods");
        Assert.True((int?)budget["spec"]!["minAvailable"] is >= 1 || (int?)budget["spec"]!["maxUnavailable"] is 1);
    }

    [Fact]
    public void Deployment_Termination_PreStopSleepAndDrainFitTheGracePeriod()
    {
        var sleep = (int)Injector["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!;
        var grace = (int?)Deployment["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"] ?? 30;

        Assert.InRange(sleep, 1, 15);
        Assert.True(sleep + WebhookServer.BodyTimeout.TotalSeconds < grace, "the kubelet would SIGKILL the webhook while it drains");
    }

    [Fact]
    public void Deployment_InjectorArgsAndEnvironment_AcceptedByTheWebhooksOwnParsers()
    {
        var args = DeployManifests.Strings(Injector["args"]);
        Assert.Equal(InjectCommand.Name, args[0]);
        var commandLine = CommandLine.Parse(args[1..], InjectSettingCatalog.All);
        foreach (var variable in Injector["env"]?.AsArray() ?? [])
        {
            var name = (string)variable!["name"]!;
            var setting = Assert.Single(InjectSettingCatalog.All, s => s.Env == name);
            setting.Validate((string)variable["value"]!);
        }
        // The serving pair lives on the mounted Secret, and the probes ask the webhook over HTTPS.
        var mount = (string)Injector["volumeMounts"]![0]!["mountPath"]!;
        var source = new SettingSource(commandLine, _ => null);
        Assert.StartsWith(mount + "/", source.Get(InjectSettingCatalog.TlsCertFile), StringComparison.Ordinal);
        Assert.StartsWith(mount + "/", source.Get(InjectSettingCatalog.TlsKeyFile), StringComparison.Ordinal);
        Assert.Equal(("/readyz", "HTTPS"), ((string?)Injector["readinessProbe"]!["httpGet"]!["path"], (string?)Injector["readinessProbe"]!["httpGet"]!["scheme"]));
    }

    [Fact]
    public void Rbac_InjectedPods_ReadFrpServersOfTheCrd()
    {
        var crd = DeployManifests.Single("deploy/frpserver-crd.yaml", "CustomResourceDefinition");
        var role = DeployManifests.Single(Rbac, "ClusterRole");
        var binding = DeployManifests.Single(Rbac, "ClusterRoleBinding");

        var rule = Assert.Single(role["rules"]!.AsArray(), r => DeployManifests.Strings(r!["apiGroups"]).Contains((string)crd["spec"]!["group"]!))!;
        Assert.Contains((string)crd["spec"]!["names"]!["plural"]!, DeployManifests.Strings(rule["resources"]));
        Assert.Superset(new HashSet<string> { "get", "list", "watch" }, DeployManifests.Strings(rule["verbs"]).ToHashSet());
        Assert.DoesNotContain(DeployManifests.Strings(rule["verbs"]), v => v is "create" or "update" or "patch" or "delete" or "*");
        Assert.Equal((string?)role["metadata"]!["name"], (string?)binding["roleRef"]!["name"]);
        Assert.Equal("ClusterRole", (string?)binding["roleRef"]!["kind"]);
    }
}
